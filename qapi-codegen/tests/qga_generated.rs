//! The generated code of the guest agent schema: it compiles (it is
//! included here), it is current, and it reads and writes the wire form as
//! QEMU's guest agent does.

#[allow(dead_code)]
mod qga {
    include!("snapshots/qga.rs");
}

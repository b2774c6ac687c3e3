//! The generated code of the kitchen-sink schema: it compiles (it is
//! included here), and every construct reads and writes its wire form.

#[allow(dead_code)]
mod ks {
    include!("snapshots/kitchen_sink.rs");
}

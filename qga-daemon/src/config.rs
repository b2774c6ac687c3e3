//! qemu-ga's command line and configuration file.

//! `qga-client`: sends one command to a QEMU guest agent and prints its
//! reply. See `qga-client --help`.

use clap::Parser;
use qga_daemon::client::{self, Args, Failure, Terminal};
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::parse();
    let (stdin, stdout, stderr) = (io::stdin(), io::stdout(), io::stderr());
    let result = client::run(
        &args,
        Terminal {
            stdin: &mut stdin.lock(),
            stdout: &mut stdout.lock(),
            stderr: &mut stderr.lock(),
        },
    );
    match result {
        Ok(status) => ExitCode::from(status.code()),
        // A reader that stops early (`| head`) is not a failure.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(failure) => {
            let text = if failure.is_error_reply() {
                format!("{failure}\n")
            } else {
                format!("qga-client: {failure}\n")
            };
            // Nothing better to do when stderr is gone too.
            let _ = stderr.lock().write_all(text.as_bytes());
            ExitCode::from(failure.code())
        }
    }
}

//! How a binary ends: success, or one line on stderr naming what went wrong (with its causes
//! joined by `: `) and exit code 1. Never a panic message or a backtrace for a bad setting.

use std::error::Error;
use std::process::ExitCode;

pub fn report<E: Error>(program: &str, result: Result<(), E>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{program}: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its chain of causes on one line.
pub fn one_line(error: &dyn Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        line.push_str(": ");
        line.push_str(&e.to_string());
        cause = e.source();
    }
    line.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    #[derive(Debug, thiserror::Error)]
    #[error("cannot apply database migrations")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_cause_chain_is_joined_on_one_line() {
        let e = Outer(std::io::Error::other("connection refused\n(port 5432)"));
        assert_eq!(
            super::one_line(&e),
            "cannot apply database migrations: connection refused (port 5432)"
        );
    }
}

use std::process::ExitCode;

use clap::Parser;
use ml_worker::config::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => {
                cli.config.log.init()?;
                ml_worker::serve::serve(cli.config).await
            }
            Command::Eval(args) => {
                cli.config.log.init_stderr()?;
                ml_worker::serve::eval(&cli.config, &args)
            }
        }
    }
    .await;
    service_kit::exit::report("ml-worker", result)
}

use std::process::ExitCode;

use api::config::{Cli, Command};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::ImportPreview { file, json }) = &cli.command {
        return api::imports::preview_cli::run(file, *json);
    }
    let result = async {
        cli.config.log.init()?;
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => api::serve::serve(cli.config).await,
            Command::Migrate => api::serve::migrate(cli.config).await,
            Command::SeedDemo => api::serve::seed_demo(cli.config).await,
            Command::ImportPreview { .. } => unreachable!("handled before logging starts"),
            Command::Openapi => {
                let doc = api::http::openapi();
                println!("{}", doc.to_pretty_json().unwrap_or_default());
                Ok(())
            }
        }
    }
    .await;
    service_kit::exit::report("api", result)
}

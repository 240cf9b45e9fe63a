use std::process::ExitCode;

use clap::Parser;
use ml_worker::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let result = async {
        config.log.init()?;
        ml_worker::serve::serve(config).await
    }
    .await;
    service_kit::exit::report("ml-worker", result)
}

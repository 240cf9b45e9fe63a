use std::process::ExitCode;

use clap::Parser;
use operator::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let result = async {
        config.log.init()?;
        operator::serve::serve(config).await
    }
    .await;
    service_kit::exit::report("operator", result)
}

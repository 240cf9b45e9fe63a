//! What the operator ships besides its binary, checked with real tools: the Helm chart
//! (helm v4, kubernetes-validate), the CRD schema against example and bad resources
//! (JSON Schema and CEL), and the nginx config it renders (`nginx -t`). `make test`
//! installs the tools (scripts/tools.sh).

mod chart;
mod custom_resources;
mod monitoring;
mod nginx;
mod tools;

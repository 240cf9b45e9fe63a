//! Compact schemas for the Kubernetes types the spec embeds. The generated ones repeat the
//! whole Quantity essay at every use, which buries the fields in `kubectl explain`.

use schemars::{Schema, SchemaGenerator, json_schema};

/// Kubernetes' quantity grammar (`500m`, `256Mi`, `10Gi`, `1e3`).
pub const QUANTITY_PATTERN: &str =
    r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$";

pub fn quantity(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A Kubernetes quantity, such as 500m, 256Mi or 10Gi.",
        "x-kubernetes-int-or-string": true,
        "pattern": QUANTITY_PATTERN,
    })
}

/// `resources` of a container: `requests` and `limits`, each a map of `cpu`, `memory`, ….
pub fn resources(generator: &mut SchemaGenerator) -> Schema {
    let quantities = json_schema!({
        "type": "object",
        "additionalProperties": quantity(generator),
    });
    json_schema!({
        "description": "CPU and memory: `requests` (reserved) and `limits` (the most allowed), e.g. {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 512Mi}}.",
        "type": "object",
        "properties": {
            "requests": quantities,
            "limits": quantities,
        },
    })
}

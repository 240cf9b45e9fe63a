//! The generated token-signing key of the API, unless the spec names the user's own.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;

use super::Plan;
use crate::child::Child;
use crate::finance_tracker::credentials::SIGNING_KEY;
use crate::finance_tracker::names::Component;

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    let Some(key) = &plan.credentials.jwt_key else {
        return Vec::new();
    };
    let names = plan.names;
    vec![Child::new(&Secret {
        metadata: names.metadata(names.jwt_secret(), Component::Api),
        type_: Some("Opaque".to_owned()),
        data: Some(BTreeMap::from([(
            SIGNING_KEY.to_owned(),
            ByteString(key.as_bytes().to_vec()),
        )])),
        ..Secret::default()
    })]
}

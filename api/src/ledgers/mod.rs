//! Ledgers: a household's shared book. Every resource lives in one, and every request for
//! one goes through [`access`], which answers 404 to non-members (existence never leaks)
//! and 403 to members whose role is too low.

pub mod defaults;
pub mod routes;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::events::catalogue::Member;
use crate::events::{self, Event};
use crate::http::error::ApiError;

/// Ordered: a higher role can do everything a lower one can.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    sqlx::Type,
    utoipa::ToSchema,
)]
#[sqlx(type_name = "ledger_role", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }
}

/// Pure: may a member with `role` do what needs `needed`?
pub fn permits(role: Role, needed: Role) -> Result<(), ApiError> {
    if role >= needed {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "insufficient_role",
            message: format!(
                "this needs the {} role in the ledger; you are a {}",
                needed.as_str(),
                role.as_str()
            )
            .into(),
        })
    }
}

/// The caller's role in `ledger_id`, if it is at least `needed`.
pub async fn access(
    db: impl sqlx::PgExecutor<'_>,
    caller: &Caller,
    ledger_id: Uuid,
    needed: Role,
) -> Result<Role, ApiError> {
    let role = sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM ledger_members WHERE ledger_id = $1 AND user_id = $2"#,
        ledger_id,
        caller.user_id,
    )
    .fetch_optional(db)
    .await?
    .ok_or(ApiError::NotFound("ledger"))?;
    permits(role, needed)?;
    Ok(role)
}

/// 422 on `field` unless `code` is a currency we know.
pub async fn require_known_currency(
    db: &mut PgConnection,
    field: &str,
    code: &str,
) -> Result<u32, ApiError> {
    let minor_units =
        sqlx::query_scalar!("SELECT minor_units FROM currencies WHERE code = $1", code)
            .fetch_optional(db)
            .await?
            .ok_or_else(|| ApiError::field(field, format!("{code} is not a currency we know")))?;
    Ok(u32::try_from(minor_units).unwrap_or_default())
}

/// Creates a ledger owned by `owner`, with the default categories. The owner's open
/// sockets carry it from its first event on.
pub async fn create(
    tx: &mut PgConnection,
    owner: Uuid,
    name: &str,
    base_currency: &str,
) -> Result<Uuid, ApiError> {
    let ledger_id = sqlx::query_scalar!(
        "INSERT INTO ledgers (name, base_currency) VALUES ($1, $2) RETURNING id",
        name,
        base_currency,
    )
    .fetch_one(&mut *tx)
    .await?;
    let display_name = sqlx::query_scalar!(
        "WITH joined AS (
             INSERT INTO ledger_members (ledger_id, user_id, role) VALUES ($1, $2, 'owner')
         )
         SELECT display_name FROM users WHERE id = $2",
        ledger_id,
        owner,
    )
    .fetch_one(&mut *tx)
    .await?;
    defaults::create_categories(tx, ledger_id).await?;
    let member = Member {
        user_id: owner,
        display_name,
        role: Role::Owner,
    };
    events::record(tx, ledger_id, &Event::MemberAdded(member)).await?;
    Ok(ledger_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_viewer_editor_owner() {
        assert!(permits(Role::Owner, Role::Editor).is_ok());
        assert!(permits(Role::Editor, Role::Editor).is_ok());
        assert!(permits(Role::Viewer, Role::Viewer).is_ok());
        let denied = permits(Role::Viewer, Role::Editor).expect_err("viewer cannot write");
        assert_eq!(denied.code(), "insufficient_role");
        assert!(permits(Role::Editor, Role::Owner).is_err());
    }
}

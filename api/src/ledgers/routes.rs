//! Ledger routes: create and list ledgers, rename and delete them, manage members and
//! invite people by code.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{Role, access, require_known_currency};
use crate::auth::caller::Caller;
use crate::auth::tokens::{random_token, token_hash};
use crate::events::catalogue::{LedgerSettings, Member, MemberRemoved, Removed};
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path};
use crate::http::validation::Validator;
use crate::money::check_currency_code;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
        .routes(routes!(members))
        .routes(routes!(set_role, remove_member))
        .routes(routes!(invite))
        .routes(routes!(accept_invite))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerView {
    pub id: Uuid,
    pub name: String,
    pub base_currency: String,
    /// The caller's role.
    pub role: Role,
    /// How sure the ML worker must be (0 to 1) for its category to be applied without
    /// asking; below it, its suggestions are offered instead. Default 0.7.
    pub ml_auto_apply_threshold: f32,
    pub created_at: DateTime<Utc>,
}

async fn ledger_view(
    db: impl sqlx::PgExecutor<'_>,
    caller: &Caller,
    ledger_id: Uuid,
) -> Result<LedgerView, ApiError> {
    sqlx::query_as!(
        LedgerView,
        r#"SELECT l.id, l.name, l.base_currency AS "base_currency!", m.role AS "role: Role",
                  l.ml_auto_apply_threshold, l.created_at
           FROM ledgers l JOIN ledger_members m ON m.ledger_id = l.id
           WHERE l.id = $1 AND m.user_id = $2"#,
        ledger_id,
        caller.user_id,
    )
    .fetch_optional(db)
    .await?
    .ok_or(ApiError::NotFound("ledger"))
}

#[utoipa::path(
    get,
    path = "/ledgers",
    tag = "ledgers",
    summary = "Ledgers the caller belongs to, with their role",
    responses((status = 200, description = "Ledgers the caller belongs to, with their role", body = Vec<LedgerView>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<LedgerView>>, ApiError> {
    let ledgers = sqlx::query_as!(
        LedgerView,
        r#"SELECT l.id, l.name, l.base_currency AS "base_currency!", m.role AS "role: Role",
                  l.ml_auto_apply_threshold, l.created_at
           FROM ledgers l JOIN ledger_members m ON m.ledger_id = l.id
           WHERE m.user_id = $1 ORDER BY l.created_at, l.id"#,
        caller.user_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(ledgers))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLedger {
    pub name: String,
    pub base_currency: String,
}

#[utoipa::path(
    post,
    path = "/ledgers",
    tag = "ledgers",
    summary = "Create a ledger with the default categories",
    request_body = CreateLedger,
    responses((status = 201, description = "Create a ledger with the default categories", body = LedgerView)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateLedger>,
) -> Result<(StatusCode, Json<LedgerView>), ApiError> {
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    v.result("base_currency", check_currency_code(&body.base_currency));
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    require_known_currency(&mut tx, "base_currency", &body.base_currency).await?;
    let id = super::create(
        &mut tx,
        caller.user_id,
        body.name.trim(),
        &body.base_currency,
    )
    .await?;
    let view = ledger_view(&mut *tx, &caller, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}",
    tag = "ledgers",
    summary = "A ledger",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "A ledger", body = LedgerView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<LedgerView>, ApiError> {
    Ok(Json(ledger_view(&state.db, &caller, ledger_id).await?))
}

/// The settings to change; fields left out stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLedger {
    pub name: Option<String>,
    /// 0 to 1: how sure the ML worker must be for its category to be applied.
    pub ml_auto_apply_threshold: Option<f32>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}",
    tag = "ledgers",
    summary = "Rename a ledger or change its settings (owner)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = UpdateLedger,
    responses((status = 200, description = "The ledger as it is now", body = LedgerView)),
)]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<UpdateLedger>,
) -> Result<Json<LedgerView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Owner).await?;
    let mut v = Validator::new();
    if let Some(name) = &body.name {
        v.text("name", name, 100);
    }
    if let Some(threshold) = body.ml_auto_apply_threshold {
        v.check(
            threshold.is_finite() && (0.0..=1.0).contains(&threshold),
            "ml_auto_apply_threshold",
            "must be between 0 and 1",
        );
    }
    v.check(
        body.name.is_some() || body.ml_auto_apply_threshold.is_some(),
        "body",
        "give name or ml_auto_apply_threshold",
    );
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let settings = sqlx::query_as!(
        LedgerSettings,
        r#"UPDATE ledgers SET name = COALESCE($2, name),
                  ml_auto_apply_threshold = COALESCE($3, ml_auto_apply_threshold)
           WHERE id = $1
           RETURNING id, name, base_currency AS "base_currency!", ml_auto_apply_threshold"#,
        ledger_id,
        body.name.as_deref().map(str::trim),
        body.ml_auto_apply_threshold,
    )
    .fetch_one(&mut *tx)
    .await?;
    events::record(&mut tx, ledger_id, &Event::LedgerUpdated(settings)).await?;
    let view = ledger_view(&mut *tx, &caller, ledger_id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}",
    tag = "ledgers",
    summary = "Delete a ledger and everything in it (owner)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 204, description = "Done")),
)]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Owner).await?;
    // Transactions (and their split parts) first: the cascade from the ledger would reach
    // categories and accounts in an order where a split part still points at a category.
    let mut tx = service_kit::stores::begin(&state.db).await?;
    sqlx::query!("DELETE FROM transactions WHERE ledger_id = $1", ledger_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM ledgers WHERE id = $1", ledger_id)
        .execute(&mut *tx)
        .await?;
    events::record(
        &mut tx,
        ledger_id,
        &Event::LedgerDeleted(Removed { id: ledger_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/members",
    tag = "ledgers",
    summary = "Members and their roles",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "Members and their roles", body = Vec<MemberView>)),
)]
async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<Vec<MemberView>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let members = sqlx::query_as!(
        MemberView,
        r#"SELECT m.user_id, u.display_name, m.role AS "role: Role", m.joined_at
           FROM ledger_members m JOIN users u ON u.id = m.user_id
           WHERE m.ledger_id = $1 ORDER BY m.joined_at, m.user_id"#,
        ledger_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(members))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRole {
    pub role: Role,
}

/// Locks the ledger's memberships and fails if `user_id` is its only owner.
async fn refuse_to_remove_last_owner(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    user_id: Uuid,
) -> Result<(), ApiError> {
    let owners = sqlx::query_scalar!(
        r#"SELECT user_id FROM ledger_members WHERE ledger_id = $1 AND role = 'owner' FOR UPDATE"#,
        ledger_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    if owners == [user_id] {
        return Err(ApiError::Conflict(
            "a ledger needs an owner: make someone else owner first".into(),
        ));
    }
    Ok(())
}

#[utoipa::path(
    put,
    path = "/ledgers/{ledger_id}/members/{user_id}",
    tag = "ledgers",
    summary = "Change a member's role (owner)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("user_id" = Uuid, Path, description = "The member")),
    request_body = SetRole,
    responses((status = 204, description = "Done")),
)]
async fn set_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, user_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<SetRole>,
) -> Result<StatusCode, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Owner).await?;
    if body.role != Role::Owner {
        refuse_to_remove_last_owner(&mut tx, ledger_id, user_id).await?;
    }
    let member = sqlx::query_as!(
        Member,
        r#"UPDATE ledger_members m SET role = $3 FROM users u
           WHERE m.ledger_id = $1 AND m.user_id = $2 AND u.id = m.user_id
           RETURNING m.user_id, u.display_name, m.role AS "role: Role""#,
        ledger_id,
        user_id,
        body.role as Role,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("member"))?;
    events::record(&mut tx, ledger_id, &Event::MemberUpdated(member)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Owners remove anyone; anyone may leave.
#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/members/{user_id}",
    tag = "ledgers",
    summary = "Remove a member (owner), or leave",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("user_id" = Uuid, Path, description = "The member")),
    responses((status = 204, description = "Done")),
)]
async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, user_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let needed = if user_id == caller.user_id {
        Role::Viewer
    } else {
        Role::Owner
    };
    access(&mut *tx, &caller, ledger_id, needed).await?;
    refuse_to_remove_last_owner(&mut tx, ledger_id, user_id).await?;
    let removed = sqlx::query!(
        "DELETE FROM ledger_members WHERE ledger_id = $1 AND user_id = $2",
        ledger_id,
        user_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(ApiError::NotFound("member"));
    }
    events::record(
        &mut tx,
        ledger_id,
        &Event::MemberRemoved(MemberRemoved { user_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    /// `editor` or `viewer`.
    pub role: Role,
    /// Hours the code stays valid: 1 to 720, default 72.
    pub expires_in_hours: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InviteView {
    /// Give this to the person joining. Shown once; works once.
    pub code: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/invites",
    tag = "ledgers",
    summary = "Create a one-time invitation code (owner)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateInvite,
    responses((status = 201, description = "Create a one-time invitation code (owner)", body = InviteView)),
)]
async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateInvite>,
) -> Result<(StatusCode, Json<InviteView>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Owner).await?;
    let hours = body.expires_in_hours.unwrap_or(72);
    let mut v = Validator::new();
    v.check(
        body.role != Role::Owner,
        "role",
        "invite as editor or viewer; promote later",
    )
    .check(
        (1..=720).contains(&hours),
        "expires_in_hours",
        "must be 1 to 720",
    );
    v.finish()?;
    let code = random_token("fti_");
    let expires_at = Utc::now() + Duration::hours(i64::from(hours));
    sqlx::query!(
        "INSERT INTO ledger_invites (ledger_id, role, code_hash, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        ledger_id,
        body.role as Role,
        token_hash(&code),
        caller.user_id,
        expires_at,
    )
    .execute(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(InviteView {
            code,
            role: body.role,
            expires_at,
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    pub code: String,
}

#[utoipa::path(
    post,
    path = "/invites/accept",
    tag = "ledgers",
    summary = "Join a ledger with an invitation code",
    request_body = AcceptInvite,
    responses((status = 200, description = "Join a ledger with an invitation code", body = LedgerView)),
)]
async fn accept_invite(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<AcceptInvite>,
) -> Result<Json<LedgerView>, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let invite = sqlx::query!(
        r#"SELECT id, ledger_id, role AS "role: Role" FROM ledger_invites
           WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE"#,
        token_hash(body.code.trim()),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound(
        "unused, unexpired invite with this code",
    ))?;
    let member = sqlx::query_as!(
        Member,
        r#"INSERT INTO ledger_members (ledger_id, user_id, role)
           SELECT $1, u.id, $3 FROM users u WHERE u.id = $2
           ON CONFLICT (ledger_id, user_id) DO NOTHING
           RETURNING user_id, (SELECT display_name FROM users WHERE id = $2) AS "display_name!",
                     role AS "role: Role""#,
        invite.ledger_id,
        caller.user_id,
        invite.role as Role,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::Conflict(
        "you are already a member of this ledger".into(),
    ))?;
    events::record(&mut tx, invite.ledger_id, &Event::MemberAdded(member)).await?;
    sqlx::query!(
        "UPDATE ledger_invites SET used_at = now(), used_by = $2 WHERE id = $1",
        invite.id,
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    let view = ledger_view(&mut *tx, &caller, invite.ledger_id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

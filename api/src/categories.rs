//! Categories in two levels: groups (income or expense) holding categories. A ledger starts
//! with a default set; categories can be renamed, moved, archived, and merged (the source's
//! transactions and split parts move to the target, then the source is gone).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::events::catalogue::{CategoryChanged, CategoryGroupChanged, CategoryMerged};
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{ArchivedQuery, Json, Path, Query};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
        .routes(routes!(merge))
        .routes(routes!(create_group))
        .routes(routes!(update_group))
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "category_kind", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum CategoryKind {
    Income,
    Expense,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: Uuid,
    pub name: String,
    pub archived: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: Uuid,
    pub name: String,
    pub kind: CategoryKind,
    pub archived: bool,
    pub categories: Vec<CategoryView>,
}

/// The ledger's category tree: groups by kind and name, categories by name.
#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/categories",
    tag = "categories",
    summary = "The category tree",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ArchivedQuery),
    responses((status = 200, description = "The category tree", body = Vec<GroupView>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<ArchivedQuery>,
) -> Result<Json<Vec<GroupView>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let rows = sqlx::query!(
        r#"SELECT g.id AS group_id, g.name AS group_name, g.kind AS "kind: CategoryKind",
                  g.archived_at IS NOT NULL AS "group_archived!",
                  c.id AS "category_id?", c.name AS "category_name?",
                  c.archived_at IS NOT NULL AS "category_archived?"
           FROM category_groups g
           LEFT JOIN categories c ON c.group_id = g.id AND ($2 OR c.archived_at IS NULL)
           WHERE g.ledger_id = $1 AND ($2 OR g.archived_at IS NULL)
           ORDER BY g.kind, lower(g.name), g.id, lower(c.name), c.id"#,
        ledger_id,
        query.include_archived,
    )
    .fetch_all(&state.db)
    .await?;
    let mut groups: Vec<GroupView> = Vec::new();
    for row in rows {
        if groups.last().is_none_or(|g| g.id != row.group_id) {
            groups.push(GroupView {
                id: row.group_id,
                name: row.group_name,
                kind: row.kind,
                archived: row.group_archived,
                categories: Vec::new(),
            });
        }
        if let (Some(id), Some(name), Some(archived), Some(group)) = (
            row.category_id,
            row.category_name,
            row.category_archived,
            groups.last_mut(),
        ) {
            group.categories.push(CategoryView { id, name, archived });
        }
    }
    Ok(Json(groups))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    pub name: String,
    pub kind: CategoryKind,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: Uuid,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/category-groups",
    tag = "categories",
    summary = "Create a category group",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateGroup,
    responses((status = 201, description = "Create a category group", body = Created)),
)]
async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateGroup>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let group = sqlx::query_as!(
        CategoryGroupChanged,
        r#"INSERT INTO category_groups (ledger_id, name, kind) VALUES ($1, $2, $3)
           RETURNING id, name, kind AS "kind: CategoryKind", archived_at IS NOT NULL AS "archived!""#,
        ledger_id,
        body.name.trim(),
        body.kind as CategoryKind,
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = group.id;
    events::record(&mut tx, ledger_id, &Event::CategoryGroupCreated(group)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGroup {
    pub name: Option<String>,
    pub archived: Option<bool>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}/category-groups/{id}",
    tag = "categories",
    summary = "Rename or archive a group",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = UpdateGroup,
    responses((status = 204, description = "Done")),
)]
async fn update_group(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<UpdateGroup>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut v = Validator::new();
    if let Some(name) = &body.name {
        v.text("name", name, 100);
    }
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let group = sqlx::query_as!(
        CategoryGroupChanged,
        r#"UPDATE category_groups SET
               name = COALESCE($3, name),
               archived_at = CASE WHEN $4::bool IS NULL THEN archived_at
                                  WHEN $4 THEN COALESCE(archived_at, now()) ELSE NULL END
           WHERE ledger_id = $1 AND id = $2
           RETURNING id, name, kind AS "kind: CategoryKind", archived_at IS NOT NULL AS "archived!""#,
        ledger_id,
        id,
        body.name.as_deref().map(str::trim),
        body.archived,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("category group"))?;
    events::record(&mut tx, ledger_id, &Event::CategoryGroupUpdated(group)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    pub group_id: Uuid,
    pub name: String,
}

async fn require_group(
    db: impl sqlx::PgExecutor<'_>,
    ledger_id: Uuid,
    group_id: Uuid,
) -> Result<(), ApiError> {
    sqlx::query_scalar!(
        "SELECT id FROM category_groups WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        group_id,
    )
    .fetch_optional(db)
    .await?
    .map(drop)
    .ok_or_else(|| ApiError::field("group_id", "no such category group in this ledger"))
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/categories",
    tag = "categories",
    summary = "Create a category in a group",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateCategory,
    responses((status = 201, description = "Create a category in a group", body = Created)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateCategory>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    v.finish()?;
    require_group(&state.db, ledger_id, body.group_id).await?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let category = sqlx::query_as!(
        CategoryChanged,
        r#"INSERT INTO categories (ledger_id, group_id, name) VALUES ($1, $2, $3)
           RETURNING id, group_id, name, archived_at IS NOT NULL AS "archived!", budget_rollover"#,
        ledger_id,
        body.group_id,
        body.name.trim(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = category.id;
    events::record(&mut tx, ledger_id, &Event::CategoryCreated(category)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    /// Moves the category to another group.
    pub group_id: Option<Uuid>,
    pub archived: Option<bool>,
    /// Carry what a month's budget leaves (or overspends) into the next month.
    pub budget_rollover: Option<bool>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}/categories/{id}",
    tag = "categories",
    summary = "Rename, move, archive, or set budget rollover",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = UpdateCategory,
    responses((status = 204, description = "Done")),
)]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<UpdateCategory>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut v = Validator::new();
    if let Some(name) = &body.name {
        v.text("name", name, 100);
    }
    v.finish()?;
    if let Some(group_id) = body.group_id {
        require_group(&state.db, ledger_id, group_id).await?;
    }
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let category = sqlx::query_as!(
        CategoryChanged,
        r#"UPDATE categories SET
               name = COALESCE($3, name),
               group_id = COALESCE($4, group_id),
               archived_at = CASE WHEN $5::bool IS NULL THEN archived_at
                                  WHEN $5 THEN COALESCE(archived_at, now()) ELSE NULL END,
               budget_rollover = COALESCE($6, budget_rollover)
           WHERE ledger_id = $1 AND id = $2
           RETURNING id, group_id, name, archived_at IS NOT NULL AS "archived!", budget_rollover"#,
        ledger_id,
        id,
        body.name.as_deref().map(str::trim),
        body.group_id,
        body.archived,
        body.budget_rollover,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("category"))?;
    events::record(&mut tx, ledger_id, &Event::CategoryUpdated(category)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The category that takes over; the merged one is deleted.
    pub into: Uuid,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MergeResult {
    pub moved_transactions: u64,
    pub moved_splits: u64,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/categories/{id}/merge",
    tag = "categories",
    summary = "Move everything to another category and delete this one",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = Merge,
    responses((status = 200, description = "Move everything to another category and delete this one", body = MergeResult)),
)]
async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<Merge>,
) -> Result<Json<MergeResult>, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    if body.into == id {
        return Err(ApiError::field(
            "into",
            "a category cannot be merged into itself",
        ));
    }
    let found = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM categories WHERE ledger_id = $1 AND id = ANY($2)"#,
        ledger_id,
        &[id, body.into],
    )
    .fetch_one(&mut *tx)
    .await?;
    if found != 2 {
        return Err(ApiError::NotFound("category"));
    }
    let moved_transactions = sqlx::query!(
        "UPDATE transactions SET category_id = $3, updated_at = now()
         WHERE ledger_id = $1 AND category_id = $2",
        ledger_id,
        id,
        body.into,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let moved_splits = sqlx::query!(
        "UPDATE transaction_splits SET category_id = $3 WHERE ledger_id = $1 AND category_id = $2",
        ledger_id,
        id,
        body.into,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query!(
        "DELETE FROM categories WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    let merged = CategoryMerged {
        id,
        into: body.into,
        moved_transactions,
        moved_splits,
    };
    events::record(&mut tx, ledger_id, &Event::CategoryMerged(merged)).await?;
    tx.commit().await?;
    Ok(Json(MergeResult {
        moved_transactions,
        moved_splits,
    }))
}

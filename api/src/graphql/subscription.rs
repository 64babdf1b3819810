//! The subscription root: a job's status and progress until it ends, a BOM's changes, and
//! the stock of a set of parts.
//! Each subscription listens before it first reads, so no change committed after it
//! started is missed, and reads every row it shows with the subscriber's permissions: an
//! event names ids only, and another team's job or BOM answers `NOT_FOUND` as it does over
//! HTTP.
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Context, Enum, Object, Subscription, ID};
use entity::job::{self, JobStatus};
use futures::{Stream, StreamExt};
use service::auth::Principal;
use service::events::{self, Change, Topic};
use service::{DatabaseConnection, FieldErrors, ServiceError};

use super::bom::{Bom, BomLine};
use super::budget::Budget;
use super::context::{db, loaders, principal};
use super::error::{to_gql, GqlResult};
use super::global_id::{parse_id, to_id, NodeKind};
use super::job::Job;
use super::part::Part;

/// How often a job's subscription reads the job even when no event came: a job failed for
/// running out of attempts, or an event lost with a dropped connection, still reaches it.
const JOB_RECHECK: Duration = Duration::from_secs(service::job::LEASE_SECONDS as u64);

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// The job now, then again whenever its status or progress changes; the subscription
    /// completes after the job has succeeded or failed.
    async fn job_updated(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Job>>> {
        let id = parse_id(NodeKind::Job, "id", &id)?;
        let watch = Watch::start(ctx, Topic::Job(id)).await?;
        let first = service::job::get(&watch.db, &watch.principal, id)
            .await
            .gql()?;
        let state = JobWatch {
            watch,
            id,
            next: Some(first),
            last: None,
        };
        Ok(futures::stream::unfold(state, JobWatch::next))
    }

    /// Each change to a BOM: a line added, changed or removed (with its substitutes), its
    /// own fields, approval, archive, deletion, or a new revision made from it. Completes
    /// after the BOM is deleted.
    async fn bom_changed(
        &self,
        ctx: &Context<'_>,
        bom_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<BomChange>>> {
        let id = parse_id(NodeKind::Bom, "bom_id", &bom_id)?;
        let watch = Watch::start(ctx, Topic::Bom(id)).await?;
        service::bom::get(&watch.db, &watch.principal, id)
            .await
            .gql()?;
        let state = BomWatch {
            watch,
            id,
            ended: false,
        };
        Ok(futures::stream::unfold(state, BomWatch::next))
    }

    /// Each change to the stock figures (in stock, allocated, on order, building, external)
    /// of any of these parts, at most 100: the part as it is after the change.
    async fn part_stock_changed(
        &self,
        ctx: &Context<'_>,
        part_ids: Vec<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Part>>> {
        if part_ids.len() > MAX_WATCHED_PARTS {
            return Err(to_gql(FieldErrors::single(
                "part_ids",
                format!("Watch at most {MAX_WATCHED_PARTS} parts in one subscription."),
            )));
        }
        let mut ids = part_ids
            .iter()
            .map(|id| parse_id(NodeKind::Part, "part_ids", id))
            .collect::<async_graphql::Result<Vec<i32>>>()?;
        ids.sort_unstable();
        ids.dedup();
        let principal = principal(ctx)?.clone();
        let db = db(ctx).clone();
        let mut heard = Vec::with_capacity(ids.len());
        for &id in &ids {
            let events = events::subscribe(&db, Topic::Part(id)).await.gql()?;
            heard.push(Box::pin(futures::stream::unfold(
                events,
                move |mut e| async move {
                    e.next().await;
                    Some((id, e))
                },
            )));
        }
        // every part must be the subscriber's: another team's reads as one that is missing
        let found = service::part::by_ids(&db, &principal, &ids).await.gql()?;
        if found.len() != ids.len() {
            return Err(to_gql(ServiceError::not_found("part")));
        }
        let forget = loaders(ctx).forgetter();
        let budget = ctx.data_opt::<Arc<Budget>>().cloned();
        Ok(futures::stream::select_all(heard).then(move |id| {
            forget();
            if let Some(budget) = &budget {
                budget.reset();
            }
            let (db, principal) = (db.clone(), principal.clone());
            async move {
                let part = service::part::get(&db, &principal, id).await.gql()?;
                Ok(Part::new(part))
            }
        }))
    }
}

/// Parts one `partStockChanged` watches at most.
pub const MAX_WATCHED_PARTS: usize = 100;

/// What every subscription holds for its lifetime.
struct Watch {
    db: DatabaseConnection,
    principal: Arc<Principal>,
    events: events::Subscription,
    /// Empties the request's loaders, so that each event reads fresh rows.
    forget: Box<dyn Fn() + Send + Sync>,
    budget: Option<Arc<Budget>>,
}

impl Watch {
    async fn start(ctx: &Context<'_>, topic: Topic) -> async_graphql::Result<Self> {
        let principal = principal(ctx)?.clone();
        let db = db(ctx).clone();
        let events = events::subscribe(&db, topic).await.gql()?;
        Ok(Self {
            db,
            principal,
            events,
            forget: Box::new(loaders(ctx).forgetter()),
            budget: ctx.data_opt::<Arc<Budget>>().cloned(),
        })
    }

    /// Makes the request's caches and value budget fresh for the next event.
    fn fresh(&self) {
        (self.forget)();
        if let Some(budget) = &self.budget {
            budget.reset();
        }
    }
}

struct JobWatch {
    watch: Watch,
    id: i32,
    /// A state read but not sent yet.
    next: Option<job::Model>,
    /// The status and progress sent last: a re-read that finds nothing new sends nothing.
    last: Option<(JobStatus, i32)>,
}

impl JobWatch {
    async fn next(mut self) -> Option<(async_graphql::Result<Job>, Self)> {
        if matches!(self.last, Some((s, _)) if ended(s)) {
            return None;
        }
        loop {
            let job = match self.next.take() {
                Some(job) => job,
                None => match self.read().await {
                    Ok(job) => job,
                    Err(e) => {
                        // the job is gone (or the database is): tell, then end
                        self.last = Some((JobStatus::Failed, 0));
                        return Some((Err(to_gql(e)), self));
                    }
                },
            };
            let seen = (job.status, job.progress);
            if self.last != Some(seen) {
                self.last = Some(seen);
                self.watch.fresh();
                return Some((Ok(Job(job)), self));
            }
        }
    }

    /// Waits for an event (or the recheck), then reads the job. A running job's progress
    /// may be newer in the event than in its row, which its worker writes every few seconds.
    async fn read(&mut self) -> Result<job::Model, ServiceError> {
        let heard = tokio::time::timeout(JOB_RECHECK, self.watch.events.next()).await;
        let announced = match heard {
            Ok(Change::Job { progress }) => progress,
            _ => 0,
        };
        let mut job = service::job::get(&self.watch.db, &self.watch.principal, self.id).await?;
        if job.status == JobStatus::Running {
            job.progress = job.progress.max(announced);
        }
        Ok(job)
    }
}

fn ended(status: JobStatus) -> bool {
    matches!(status, JobStatus::Succeeded | JobStatus::Failed)
}

struct BomWatch {
    watch: Watch,
    id: i32,
    ended: bool,
}

impl BomWatch {
    async fn next(mut self) -> Option<(async_graphql::Result<BomChange>, Self)> {
        if self.ended {
            return None;
        }
        let change = self.watch.events.next().await;
        self.watch.fresh();
        let (db, p) = (&self.watch.db, &*self.watch.principal);
        let bom = match service::bom::get(db, p, self.id).await {
            Ok(bom) => Some(bom),
            Err(ServiceError::NotFound { .. }) => None,
            Err(e) => return Some((Err(to_gql(e)), self)),
        };
        self.ended = bom.is_none() || change == Change::Deleted;
        let line_id = match change {
            Change::LineAdded { line }
            | Change::LineChanged { line }
            | Change::LineRemoved { line } => Some(line),
            _ => None,
        };
        // a line removed (or moved away) since the event reads as none
        let line = match (change, line_id) {
            (Change::LineRemoved { .. }, _) | (_, None) => None,
            (_, Some(line)) => service::bom_line::get(db, p, line)
                .await
                .ok()
                .filter(|l| l.bom_id == self.id),
        };
        let revision = match change {
            Change::Revised { revision } => service::bom::get(db, p, revision).await.ok(),
            _ => None,
        };
        let event = BomChange {
            kind: BomChangeKind::of(change),
            bom_id: self.id,
            bom,
            bom_line_id: line_id,
            bom_line: line,
            revision,
        };
        Some((Ok(event), self))
    }
}

/// What changed in a BOM.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum BomChangeKind {
    LineAdded,
    LineChanged,
    LineRemoved,
    /// Many lines at once: an upsert, an import, a rematch or a bulk delete.
    LinesChanged,
    /// The BOM's own fields or metadata.
    Updated,
    Approved,
    Archived,
    Deleted,
    /// A new revision was made from this BOM (`revision`).
    Revised,
    /// Changes may have been missed (the subscriber fell behind, or a connection was
    /// lost): read the BOM again.
    Resync,
}

impl BomChangeKind {
    fn of(change: Change) -> Self {
        match change {
            Change::LineAdded { .. } => Self::LineAdded,
            Change::LineChanged { .. } => Self::LineChanged,
            Change::LineRemoved { .. } => Self::LineRemoved,
            Change::LinesChanged => Self::LinesChanged,
            Change::Updated => Self::Updated,
            Change::Approved => Self::Approved,
            Change::Archived => Self::Archived,
            Change::Deleted => Self::Deleted,
            Change::Revised { .. } => Self::Revised,
            Change::Job { .. } | Change::Stock | Change::Resync => Self::Resync,
        }
    }
}

/// One change to a BOM, with the BOM and line as they are after it.
pub struct BomChange {
    kind: BomChangeKind,
    bom_id: i32,
    bom: Option<entity::bom::Model>,
    bom_line_id: Option<i32>,
    bom_line: Option<entity::bom_line::Model>,
    revision: Option<entity::bom::Model>,
}

#[Object]
impl BomChange {
    async fn kind(&self) -> BomChangeKind {
        self.kind
    }
    async fn bom_id(&self) -> ID {
        to_id(NodeKind::Bom, self.bom_id)
    }
    /// The BOM after the change; null once it is deleted.
    async fn bom(&self) -> Option<Bom> {
        self.bom.clone().map(Bom)
    }
    /// The line added, changed or removed.
    async fn bom_line_id(&self) -> Option<ID> {
        self.bom_line_id.map(|id| to_id(NodeKind::BomLine, id))
    }
    /// The line after the change; null when it was removed.
    async fn bom_line(&self) -> Option<BomLine> {
        self.bom_line.clone().map(BomLine::new)
    }
    /// The revision made, for `REVISED`.
    async fn revision(&self) -> Option<Bom> {
        self.revision.clone().map(Bom)
    }
}

//! DataLoaders, created per request so that the principal's tenancy applies to every batch.
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    api_token, bom, bom_line, job, manufacturer_alias, part, part_override, price_break, program,
    program_line, substitute, supplier_offer, user,
};
use service::auth::Principal;
use service::figures::{load_bundle, LineBundle, LineRef};
use service::owned::Owned;
use service::team::Member;
use service::DatabaseConnection;

use super::error::to_gql;

type LoadResult<K, V> = Result<HashMap<K, V>, async_graphql::Error>;

#[derive(Clone)]
pub struct Scope {
    db: DatabaseConnection,
    principal: Arc<Principal>,
}

/// Rows of a team-scoped table by id (`service::owned`): another team's row is missing.
pub struct OwnedLoader<E>(Scope, PhantomData<E>);

impl<E> Loader<i32> for OwnedLoader<E>
where
    E: Owned + Send + Sync + 'static,
    E::Model: Sync,
{
    type Value = E::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, E::Model> {
        let rows = service::owned::by_ids::<E>(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|r| (E::id_of(&r), r)).collect())
    }
}

pub struct JobLoader(Scope);
impl Loader<i32> for JobLoader {
    type Value = job::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, job::Model> {
        let rows = service::job::by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|j| (j.id, j)).collect())
    }
}

/// The caller's own API tokens.
pub struct TokenLoader(Scope);
impl Loader<i32> for TokenLoader {
    type Value = api_token::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, api_token::Model> {
        let rows = service::auth::own_tokens_by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|t| (t.id, t)).collect())
    }
}

/// Memberships of the caller's teams (key: membership id).
pub struct MemberLoader(Scope);
impl Loader<i32> for MemberLoader {
    type Value = Member;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Member> {
        let rows = service::team::members_by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|m| (m.id, m)).collect())
    }
}

/// The caller and the members of the caller's teams.
pub struct UserLoader(Scope);
impl Loader<i32> for UserLoader {
    type Value = user::Model;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, user::Model> {
        let rows = service::team::users_by_ids(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Groups rows under a key, keeping their order.
fn group<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// The revisions of each chain, oldest first (key: the chain's first BOM).
pub struct ChainLoader(Scope);
impl Loader<i32> for ChainLoader {
    type Value = Arc<Vec<bom::Model>>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Arc<Vec<bom::Model>>> {
        let chains = service::revision::chains(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(chains.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Lines of each BOM (key: BOM id).
pub struct LinesByBomLoader(Scope);
impl Loader<i32> for LinesByBomLoader {
    /// Shared, so that every alias of one BOM's lines costs a pointer, not a copy.
    type Value = Arc<Vec<bom_line::Model>>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Arc<Vec<bom_line::Model>>> {
        let rows = service::bom_line::for_boms(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |l| l.bom_id)
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect())
    }
}

/// Everything the lines of one batch need: parts, substitutes, variants, offers, breaks.
/// All keys of a batch share one bundle.
pub struct LineBundleLoader(Scope);
impl Loader<LineRef> for LineBundleLoader {
    type Value = Arc<LineBundle>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[LineRef]) -> LoadResult<LineRef, Arc<LineBundle>> {
        let bundle = Arc::new(
            load_bundle(&self.0.db, &self.0.principal, keys)
                .await
                .map_err(to_gql)?,
        );
        Ok(keys.iter().map(|k| (k.clone(), bundle.clone())).collect())
    }
}

/// The lines of each BOM together with one bundle for all lines of the batch (key: BOM id).
/// `Bom.lines` uses it when the selection needs parts, substitutes or figures, so a whole
/// BOM costs a fixed number of statements however its fields are scheduled.
pub struct BomLinesBundleLoader(Scope);
impl Loader<i32> for BomLinesBundleLoader {
    type Value = (Arc<Vec<bom_line::Model>>, Arc<LineBundle>);
    type Error = async_graphql::Error;
    async fn load(
        &self,
        keys: &[i32],
    ) -> LoadResult<i32, (Arc<Vec<bom_line::Model>>, Arc<LineBundle>)> {
        let (db, p) = (&self.0.db, &self.0.principal);
        let lines = service::bom_line::for_boms(db, p, keys)
            .await
            .map_err(to_gql)?;
        let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
        let bundle = Arc::new(load_bundle(db, p, &refs).await.map_err(to_gql)?);
        let mut by_bom = group(lines, |l| l.bom_id);
        Ok(keys
            .iter()
            .map(|k| {
                let lines = Arc::new(by_bom.remove(k).unwrap_or_default());
                (*k, (lines, bundle.clone()))
            })
            .collect())
    }
}

/// Substitutes of each line (key: line id), for lines reached without a bundle.
pub struct SubstitutesByLineLoader(Scope);
impl Loader<i32> for SubstitutesByLineLoader {
    type Value = Vec<substitute::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<substitute::Model>> {
        let rows = service::substitute::for_lines(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |s| s.bom_line_id))
    }
}

/// Offers of each part (key: part id).
pub struct OffersByPartLoader(Scope);
impl Loader<i32> for OffersByPartLoader {
    type Value = Vec<supplier_offer::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<supplier_offer::Model>> {
        let rows = service::part::offers_for_parts(&self.0.db, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |o| o.part_id))
    }
}

/// Price breaks of each offer (key: offer id).
pub struct BreaksByOfferLoader(Scope);
impl Loader<i32> for BreaksByOfferLoader {
    type Value = Vec<price_break::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<price_break::Model>> {
        let rows = service::part::breaks_for_offers(&self.0.db, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |b| b.offer_id))
    }
}

pub struct ProgramLinesLoader(Scope);
impl Loader<i32> for ProgramLinesLoader {
    type Value = Vec<program_line::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<program_line::Model>> {
        let rows = service::program::lines_for(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |l| l.program_id))
    }
}

pub struct OverridesLoader(Scope);
impl Loader<i32> for OverridesLoader {
    type Value = Vec<part_override::Model>;
    type Error = async_graphql::Error;
    async fn load(&self, keys: &[i32]) -> LoadResult<i32, Vec<part_override::Model>> {
        let rows = service::program::overrides_for(&self.0.db, &self.0.principal, keys)
            .await
            .map_err(to_gql)?;
        Ok(group(rows, |o| o.program_id))
    }
}

/// Loads each key at most once per request. A DataLoader batches the keys asked for within
/// its delay, but a key asked for again after its batch has left starts another batch:
/// 400 aliases of one BOM's lines, resolved over more than a millisecond, would load the
/// BOM's lines and their bundle several times over. Callers of one key share one load.
pub struct Once<V> {
    cells: Arc<std::sync::Mutex<Cells<V>>>,
}

type Cells<V> = HashMap<i32, Arc<tokio::sync::OnceCell<V>>>;

impl<V: Clone> Default for Once<V> {
    fn default() -> Self {
        Self {
            cells: Default::default(),
        }
    }
}

impl<V: Clone> Once<V> {
    pub async fn get<F, Fut>(&self, key: i32, load: F) -> async_graphql::Result<V>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = async_graphql::Result<V>>,
    {
        let cell = self
            .cells
            .lock()
            .expect("loader cells")
            .entry(key)
            .or_default()
            .clone();
        cell.get_or_try_init(load).await.cloned()
    }

    /// Drops what was loaded, from wherever the handle is kept.
    fn forgetter(&self) -> impl Fn() + Send + Sync + 'static
    where
        V: Send + Sync + 'static,
    {
        let cells = self.cells.clone();
        move || cells.lock().expect("loader cells").clear()
    }
}

/// A BOM's lines, shared by every field that asks for them in one request.
pub type BomLines = Arc<Vec<bom_line::Model>>;

pub struct Loaders {
    /// One load per BOM of its lines (and, with the bundle, of everything they show).
    pub bom_lines_once: Once<BomLines>,
    pub bom_bundles_once: Once<(BomLines, Arc<LineBundle>)>,
    pub parts: DataLoader<OwnedLoader<part::Entity>>,
    pub boms: DataLoader<OwnedLoader<bom::Entity>>,
    pub chains: DataLoader<ChainLoader>,
    pub lines: DataLoader<OwnedLoader<bom_line::Entity>>,
    pub lines_by_bom: DataLoader<LinesByBomLoader>,
    pub line_bundles: DataLoader<LineBundleLoader>,
    pub bom_lines_bundles: DataLoader<BomLinesBundleLoader>,
    pub substitutes_by_line: DataLoader<SubstitutesByLineLoader>,
    pub offers_by_part: DataLoader<OffersByPartLoader>,
    pub breaks_by_offer: DataLoader<BreaksByOfferLoader>,
    pub program_lines: DataLoader<ProgramLinesLoader>,
    pub overrides: DataLoader<OverridesLoader>,
    // By id, for `node` and `nodes`.
    pub substitutes: DataLoader<OwnedLoader<substitute::Entity>>,
    pub offers: DataLoader<OwnedLoader<supplier_offer::Entity>>,
    pub price_breaks: DataLoader<OwnedLoader<price_break::Entity>>,
    pub programs: DataLoader<OwnedLoader<program::Entity>>,
    pub program_lines_by_id: DataLoader<OwnedLoader<program_line::Entity>>,
    pub part_overrides: DataLoader<OwnedLoader<part_override::Entity>>,
    pub manufacturer_aliases: DataLoader<OwnedLoader<manufacturer_alias::Entity>>,
    pub jobs: DataLoader<JobLoader>,
    pub tokens: DataLoader<TokenLoader>,
    pub members: DataLoader<MemberLoader>,
    pub users: DataLoader<UserLoader>,
}

impl Loaders {
    /// Makes every later load read the database again: a subscription's loaders live as
    /// long as it does, and each of its events must show the rows as they are then.
    pub fn forgetter(&self) -> impl Fn() + Send + Sync + 'static {
        let (lines, bundles) = (
            self.bom_lines_once.forgetter(),
            self.bom_bundles_once.forgetter(),
        );
        move || {
            lines();
            bundles();
        }
    }

    /// Forgets what was loaded once per request: a mutation calls it after its write, so
    /// that its payload (and a later mutation of the same request) shows the rows as they
    /// are now.
    pub fn forget(&self) {
        self.forgetter()();
    }

    /// A BOM's lines, loaded once per request.
    pub async fn bom_lines(&self, bom_id: i32) -> async_graphql::Result<BomLines> {
        self.bom_lines_once
            .get(bom_id, || async {
                Ok(self
                    .lines_by_bom
                    .load_one(bom_id)
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    /// A BOM's lines with the bundle they read, loaded once per request.
    pub async fn bom_lines_bundle(
        &self,
        bom_id: i32,
    ) -> async_graphql::Result<(BomLines, Arc<LineBundle>)> {
        self.bom_bundles_once
            .get(bom_id, || async {
                Ok(self
                    .bom_lines_bundles
                    .load_one(bom_id)
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    pub fn new(db: DatabaseConnection, principal: Arc<Principal>) -> Self {
        let scope = Scope { db, principal };
        Self {
            bom_lines_once: Once::default(),
            bom_bundles_once: Once::default(),
            parts: owned(&scope),
            boms: owned(&scope),
            chains: DataLoader::new(ChainLoader(scope.clone()), tokio::spawn),
            lines: owned(&scope),
            lines_by_bom: DataLoader::new(LinesByBomLoader(scope.clone()), tokio::spawn),
            line_bundles: DataLoader::new(LineBundleLoader(scope.clone()), tokio::spawn),
            bom_lines_bundles: DataLoader::new(BomLinesBundleLoader(scope.clone()), tokio::spawn),
            substitutes_by_line: DataLoader::new(
                SubstitutesByLineLoader(scope.clone()),
                tokio::spawn,
            ),
            offers_by_part: DataLoader::new(OffersByPartLoader(scope.clone()), tokio::spawn),
            breaks_by_offer: DataLoader::new(BreaksByOfferLoader(scope.clone()), tokio::spawn),
            program_lines: DataLoader::new(ProgramLinesLoader(scope.clone()), tokio::spawn),
            overrides: DataLoader::new(OverridesLoader(scope.clone()), tokio::spawn),
            substitutes: owned(&scope),
            offers: owned(&scope),
            price_breaks: owned(&scope),
            programs: owned(&scope),
            program_lines_by_id: owned(&scope),
            part_overrides: owned(&scope),
            manufacturer_aliases: owned(&scope),
            jobs: DataLoader::new(JobLoader(scope.clone()), tokio::spawn),
            tokens: DataLoader::new(TokenLoader(scope.clone()), tokio::spawn),
            members: DataLoader::new(MemberLoader(scope.clone()), tokio::spawn),
            users: DataLoader::new(UserLoader(scope), tokio::spawn),
        }
    }
}

fn owned<E>(scope: &Scope) -> DataLoader<OwnedLoader<E>>
where
    E: Owned + Send + Sync + 'static,
    E::Model: Sync,
{
    DataLoader::new(OwnedLoader(scope.clone(), PhantomData), tokio::spawn)
}

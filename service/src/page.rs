//! Cursor windows for list queries: Relay's first/after/last/before turned into an offset
//! and a limit once the total is known. Ordering is always total (ties broken by id), so an
//! offset cursor is stable.

pub const MAX_PAGE_SIZE: u64 = 500;
pub const DEFAULT_PAGE_SIZE: u64 = 50;
/// The most rows a REST list answers without `limit`: a whole 10,000-line BOM still comes
/// back in one response, and a longer list asks the client to page through it.
pub const MAX_UNPAGINATED: u64 = 10_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest {
    pub first: Option<u64>,
    /// Offset of the item the cursor points at.
    pub after: Option<u64>,
    pub last: Option<u64>,
    pub before: Option<u64>,
    /// Every item at once (InvenTree's list without `limit`), up to `cap` when set.
    pub unbounded: bool,
    pub cap: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
    pub has_previous: bool,
    pub has_next: bool,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub window: Window,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            window: self.window,
        }
    }
}

impl PageRequest {
    /// Page sizes are capped at `MAX_PAGE_SIZE`; no size at all means `DEFAULT_PAGE_SIZE`.
    /// `limit` items from `offset` on (REST pagination).
    pub fn offset_limit(offset: u64, limit: u64) -> Self {
        Self {
            first: Some(limit),
            after: offset.checked_sub(1),
            ..Self::default()
        }
    }

    /// Every item, for the service's own use (a bulk delete by filter).
    pub fn all() -> Self {
        Self {
            unbounded: true,
            ..Self::default()
        }
    }

    /// A list without `limit`: every item up to `MAX_UNPAGINATED` (the caller sees the
    /// total, and refuses a longer list).
    pub fn unpaginated() -> Self {
        Self {
            unbounded: true,
            cap: Some(MAX_UNPAGINATED),
            ..Self::default()
        }
    }

    pub fn window(&self, total: u64) -> Window {
        if self.unbounded {
            return Window {
                offset: 0,
                limit: self.cap.map_or(total, |cap| total.min(cap)),
                has_previous: false,
                has_next: false,
            };
        }
        let mut start = self
            .after
            .map(|a| a.saturating_add(1))
            .unwrap_or(0)
            .min(total);
        let mut end = self.before.unwrap_or(total).min(total).max(start);
        if let Some(f) = self.first {
            end = end.min(start + f.min(MAX_PAGE_SIZE));
        }
        if let Some(l) = self.last {
            start = start.max(end.saturating_sub(l.min(MAX_PAGE_SIZE)));
        }
        if self.first.is_none() && self.last.is_none() {
            end = end.min(start + DEFAULT_PAGE_SIZE);
        }
        Window {
            offset: start,
            limit: end - start,
            has_previous: start > 0,
            has_next: end < total,
        }
    }

    /// Slices an already ordered, fully loaded list.
    pub fn slice<T>(&self, items: Vec<T>) -> Page<T> {
        let total = items.len() as u64;
        let window = self.window(total);
        let items = items
            .into_iter()
            .skip(window.offset as usize)
            .take(window.limit as usize)
            .collect();
        Page {
            items,
            total,
            window,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(
        first: Option<u64>,
        after: Option<u64>,
        last: Option<u64>,
        before: Option<u64>,
    ) -> (u64, u64) {
        let w = PageRequest {
            first,
            after,
            last,
            before,
            unbounded: false,
            cap: None,
        }
        .window(10);
        (w.offset, w.limit)
    }

    #[test]
    fn windows() {
        assert_eq!(w(Some(3), None, None, None), (0, 3));
        assert_eq!(w(Some(3), Some(8), None, None), (9, 1));
        assert_eq!(w(None, None, Some(3), None), (7, 3));
        assert_eq!(w(None, None, Some(3), Some(5)), (2, 3));
        assert_eq!(w(Some(100), Some(20), None, None), (10, 0));
        assert_eq!(w(Some(1000), None, None, None), (0, 10));
        assert_eq!(w(Some(3), Some(u64::MAX), None, None), (10, 0));
        let rest = PageRequest::offset_limit(4, 3).window(10);
        assert_eq!(
            (rest.offset, rest.limit, rest.has_previous, rest.has_next),
            (4, 3, true, true)
        );
        assert_eq!(PageRequest::all().window(100_000).limit, 100_000);
    }
}

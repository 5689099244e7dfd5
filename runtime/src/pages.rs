//! Paging through a list operation: one loop for every paginated operation of every service.
//!
//! A generated request builder describes how it pages ([`Paginated`]); [`Pages`] sends it page
//! after page. A caller can stop at any page and never holds more than one page, or collect
//! everything with [`Pages::collect_all`] (what the builders' `send_all` does).

use crate::Error;
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::future::Future;

/// What the paging parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// An item offset (`offset`): the next request starts after the items fetched so far.
    Offset,
    /// A page number (`page_no`): the next request asks for the next page.
    Page,
}

/// A list operation's request, as [`Pages`] sends it; implemented by the generated builders.
pub trait Paginated: Clone + Send + Sized + 'static {
    /// The operation's response: one page.
    type Page: Send;
    /// One item of a page.
    type Item: Send;
    /// What the paging parameter counts.
    const STYLE: PageStyle;
    /// Where paging starts when the request does not say: the documented default offset or
    /// first page number.
    const FIRST: i64;

    /// The offset or page number set on the request, if any.
    fn position(&self) -> Option<i64>;
    /// The request for another offset or page number; `None` if the parameter's type cannot
    /// hold it (paging then ends).
    fn at(self, position: i64) -> Option<Self>;
    /// The page size set on the request, if any: a shorter page is the last.
    fn limit(&self) -> Option<i64>;
    /// Sends the request for one page.
    fn send_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
    /// A page's items, and the total number of items if the API reports it.
    fn into_items(page: Self::Page) -> (Vec<Self::Item>, Option<i64>);
}

/// The pages of a list operation, fetched one at a time as they are asked for.
///
/// Paging stops after an empty page, after a page shorter than the limit set on the request,
/// once the total the API reports has been fetched, or after an error (which is returned).
#[derive(Debug)]
#[must_use = "pages are fetched only when asked for"]
pub struct Pages<R> {
    next: Option<R>,
    position: i64,
    fetched: i64,
}

impl<R: Paginated> Pages<R> {
    /// Pages of `request`, starting at its offset or page number (or the first).
    pub fn new(request: R) -> Self {
        let position = request.position().unwrap_or(R::FIRST);
        Pages {
            next: Some(request),
            position,
            fetched: 0,
        }
    }

    /// Fetches the next page: `None` once paging has ended.
    pub async fn next_page(&mut self) -> Option<Result<Vec<R::Item>, Error>> {
        let request = self.next.take()?.at(self.position)?;
        let limit = request.limit();
        let page = match request.clone().send_page().await {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        let (items, total) = R::into_items(page);
        let count = items.len() as i64;
        self.fetched += count;
        let seen = match R::STYLE {
            PageStyle::Offset => self.position + count,
            PageStyle::Page => self.fetched,
        };
        let last = count == 0
            || limit.is_some_and(|limit| count < limit)
            || total.is_some_and(|total| seen >= total);
        if !last {
            self.position += match R::STYLE {
                PageStyle::Offset => count,
                PageStyle::Page => 1,
            };
            self.next = Some(request);
        }
        Some(Ok(items))
    }

    /// Every item of every page, in order.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?);
        }
        Ok(items)
    }

    /// The pages as a [`Stream`].
    pub fn into_stream(self) -> impl Stream<Item = Result<Vec<R::Item>, Error>> + Send {
        stream::unfold(self, |mut pages| async move {
            let page = pages.next_page().await?;
            Some((page, pages))
        })
    }

    /// The items of every page as a [`Stream`]; the next page is fetched when the items of the
    /// last one have been taken.
    pub fn items(self) -> impl Stream<Item = Result<R::Item, Error>> + Send {
        stream::unfold(
            (self, VecDeque::new()),
            |(mut pages, mut ready)| async move {
                loop {
                    if let Some(item) = ready.pop_front() {
                        return Some((Ok(item), (pages, ready)));
                    }
                    match pages.next_page().await? {
                        Ok(items) => ready.extend(items),
                        Err(e) => return Some((Err(e), (pages, ready))),
                    }
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    /// A list of `len` numbers served `limit` at a time, recording each position asked for.
    #[derive(Clone)]
    struct Numbers {
        style: PageStyle,
        len: i64,
        limit: Option<i64>,
        position: Option<i64>,
        report_total: bool,
        fail_at: Option<i64>,
        asked: Arc<Mutex<Vec<i64>>>,
    }

    impl Numbers {
        fn new(len: i64, limit: Option<i64>) -> Self {
            Numbers {
                style: PageStyle::Offset,
                len,
                limit,
                position: None,
                report_total: false,
                fail_at: None,
                asked: Arc::default(),
            }
        }
    }

    /// The page style is a const of the trait, so the page-number variant is its own type.
    #[derive(Clone)]
    struct NumberPages(Numbers);

    fn page_of(n: &Numbers, position: i64) -> Result<(Vec<i64>, Option<i64>), Error> {
        n.asked.lock().unwrap().push(position);
        if n.fail_at == Some(position) {
            return Err(Error::Config("page failed".into()));
        }
        let size = n.limit.unwrap_or(3);
        let start = match n.style {
            PageStyle::Offset => position,
            PageStyle::Page => (position - 1) * size,
        };
        let items = (start..(start + size).min(n.len)).collect();
        Ok((items, n.report_total.then_some(n.len)))
    }

    impl Paginated for Numbers {
        type Page = (Vec<i64>, Option<i64>);
        type Item = i64;
        const STYLE: PageStyle = PageStyle::Offset;
        const FIRST: i64 = 0;

        fn position(&self) -> Option<i64> {
            self.position
        }
        fn at(mut self, position: i64) -> Option<Self> {
            self.position = Some(position);
            Some(self)
        }
        fn limit(&self) -> Option<i64> {
            self.limit
        }
        async fn send_page(self) -> Result<Self::Page, Error> {
            page_of(&self, self.position.unwrap_or(0))
        }
        fn into_items(page: Self::Page) -> (Vec<i64>, Option<i64>) {
            page
        }
    }

    impl Paginated for NumberPages {
        type Page = (Vec<i64>, Option<i64>);
        type Item = i64;
        const STYLE: PageStyle = PageStyle::Page;
        const FIRST: i64 = 1;

        fn position(&self) -> Option<i64> {
            self.0.position
        }
        fn at(mut self, position: i64) -> Option<Self> {
            self.0.position = Some(position);
            Some(self)
        }
        fn limit(&self) -> Option<i64> {
            self.0.limit
        }
        async fn send_page(self) -> Result<Self::Page, Error> {
            page_of(&self.0, self.0.position.unwrap_or(1))
        }
        fn into_items(page: Self::Page) -> (Vec<i64>, Option<i64>) {
            page
        }
    }

    fn asked(n: &Numbers) -> Vec<i64> {
        n.asked.lock().unwrap().clone()
    }

    #[tokio::test]
    async fn a_short_page_is_the_last() {
        let n = Numbers::new(7, Some(3));
        let all = Pages::new(n.clone()).collect_all().await.unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(asked(&n), [0, 3, 6]);
    }

    #[tokio::test]
    async fn without_a_limit_an_empty_page_ends_paging() {
        let n = Numbers::new(6, None);
        let all = Pages::new(n.clone()).collect_all().await.unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(asked(&n), [0, 3, 6]);
    }

    #[tokio::test]
    async fn the_reported_total_ends_paging_without_an_empty_page() {
        let mut n = Numbers::new(6, Some(3));
        n.report_total = true;
        let all = Pages::new(n.clone()).collect_all().await.unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(asked(&n), [0, 3]);
    }

    #[tokio::test]
    async fn paging_starts_at_the_offset_set_on_the_request() {
        let mut n = Numbers::new(7, Some(3));
        n.position = Some(4);
        let all = Pages::new(n.clone()).collect_all().await.unwrap();
        assert_eq!(all, [4, 5, 6]);
        // A full page may not be the last: only the empty one after it says so.
        assert_eq!(asked(&n), [4, 7]);
    }

    #[tokio::test]
    async fn page_numbers_count_pages_not_items() {
        let n = Numbers {
            style: PageStyle::Page,
            report_total: true,
            ..Numbers::new(7, Some(3))
        };
        let all = Pages::new(NumberPages(n.clone()))
            .collect_all()
            .await
            .unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(asked(&n), [1, 2, 3]);
    }

    #[tokio::test]
    async fn an_error_is_returned_once_and_ends_paging() {
        let mut n = Numbers::new(9, Some(3));
        n.fail_at = Some(3);
        let mut pages = Pages::new(n.clone());
        assert_eq!(pages.next_page().await.unwrap().unwrap(), [0, 1, 2]);
        assert!(pages.next_page().await.unwrap().is_err());
        assert!(pages.next_page().await.is_none());
        let result = Pages::new(n.clone()).collect_all().await;
        assert!(result.is_err());
    }

    #[tokio::test]
    async fn a_caller_that_stops_early_fetches_no_further_page() {
        let n = Numbers::new(100, Some(3));
        let first: Vec<i64> = Pages::new(n.clone())
            .items()
            .take(4)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(first, [0, 1, 2, 3]);
        assert_eq!(asked(&n), [0, 3]);
    }

    #[tokio::test]
    async fn the_page_stream_yields_each_page() {
        let n = Numbers::new(7, Some(3));
        let sizes: Vec<usize> = Pages::new(n)
            .into_stream()
            .map(|page| page.unwrap().len())
            .collect()
            .await;
        assert_eq!(sizes, [3, 3, 1]);
    }
}

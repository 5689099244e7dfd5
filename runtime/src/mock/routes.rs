//! Which operations a request path belongs to.
//!
//! The path templates are split once, when the router is built, into a tree with one level per
//! segment: a node's children are its literal segments (sorted, found by binary search) and at most one
//! parameter. A request walks the tree segment by segment, so it costs a lookup per segment
//! however many operations the service has, and allocates only for the operations it matches.
//!
//! Templates are read in the grammar the validator checks (`huaweicloud_db_schema::template`).

use huaweicloud_db_schema::template::{self, Segment};

/// One level of the tree: the routes that end here and the ways on.
#[derive(Default)]
struct Node {
    /// Sorted by segment. (A hash map costs more: hashing a segment takes longer than the few
    /// comparisons of a search among a node's children.)
    literals: Vec<(&'static str, Node)>,
    /// `{name}`: any non-empty segment. The names are the routes' own (see [`Route::params`]).
    parameter: Option<Box<Node>>,
    /// The routes whose templates end at this node, as indexes into [`Routes::routes`].
    ends: Vec<usize>,
}

struct Route {
    /// The operation's index in the table.
    index: usize,
    /// The template's parameters: segment position and name.
    params: Vec<(usize, &'static str)>,
    /// How many segments are literal: the more, the more specific the route.
    literals: usize,
}

/// An operation whose template matches a path.
pub(crate) struct Match {
    pub index: usize,
    /// The path parameters, decoded, by their names in the template.
    pub params: Vec<(&'static str, String)>,
    /// How many template segments are literal (`/instances/detail` beats `/instances/{id}`).
    pub literals: usize,
}

/// The routes of a service's operations.
pub(crate) struct Routes {
    root: Node,
    routes: Vec<Route>,
}

impl Routes {
    /// The routes of `templates`, each at its index.
    pub fn new(templates: impl IntoIterator<Item = &'static str>) -> Routes {
        let mut root = Node::default();
        let mut routes = Vec::new();
        for (index, template) in templates.into_iter().enumerate() {
            let mut node = &mut root;
            let mut params = Vec::new();
            let mut literals = 0;
            for (position, segment) in template::segments(template).enumerate() {
                node = match template::segment(segment) {
                    Segment::Param(name) => {
                        params.push((position, name));
                        node.parameter.get_or_insert_with(Box::default)
                    }
                    // The validator rejects a malformed segment; here it could only be text.
                    Segment::Literal(_) | Segment::Malformed(_) => {
                        literals += 1;
                        let at = match node.literals.binary_search_by(|(s, _)| s.cmp(&segment)) {
                            Ok(at) => at,
                            Err(at) => {
                                node.literals.insert(at, (segment, Node::default()));
                                at
                            }
                        };
                        &mut node.literals[at].1
                    }
                };
            }
            node.ends.push(routes.len());
            routes.push(Route {
                index,
                params,
                literals,
            });
        }
        Routes { root, routes }
    }

    /// Every route that matches `path`, in table order.
    pub fn matching(&self, path: &str) -> Vec<Match> {
        let segments: Vec<&str> = template::segments(path).collect();
        let mut found = Vec::new();
        self.root.collect(&segments, &mut found);
        // Ties between equally specific routes are decided by table order, as before the tree.
        found.sort_unstable();
        found
            .into_iter()
            .map(|route| {
                let route = &self.routes[route];
                Match {
                    index: route.index,
                    params: route
                        .params
                        .iter()
                        .map(|&(position, name)| (name, decode(segments[position])))
                        .collect(),
                    literals: route.literals,
                }
            })
            .collect()
    }
}

impl Node {
    /// Adds the routes below this node that match `rest` to `found`.
    fn collect(&self, rest: &[&str], found: &mut Vec<usize>) {
        let Some((segment, rest)) = rest.split_first() else {
            found.extend_from_slice(&self.ends);
            return;
        };
        if let Ok(at) = self.literals.binary_search_by(|(s, _)| s.cmp(segment)) {
            self.literals[at].1.collect(rest, found);
        }
        if let Some(next) = self.parameter.as_deref().filter(|_| !segment.is_empty()) {
            next.collect(rest, found);
        }
    }
}

/// A path segment, percent-decoded as the signature reads it.
fn decode(segment: &str) -> String {
    String::from_utf8_lossy(&crate::signing::decode(segment)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_matches_the_templates_of_its_shape_with_parameters_decoded() {
        let routes = Routes::new([
            "/v3/{project_id}/instances",
            "/v3/{project_id}/instances/{instance_id}",
            "/v3/{project_id}/instances/detail",
        ]);
        let found = routes.matching("/v3/p1/instances/a%20b");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].index, 1);
        assert_eq!(
            found[0].params,
            [
                ("project_id", "p1".to_string()),
                ("instance_id", "a b".to_string())
            ]
        );
        let both: Vec<(usize, usize)> = routes
            .matching("/v3/p1/instances/detail/")
            .iter()
            .map(|m| (m.index, m.literals))
            .collect();
        // The empty segment before the first `/` counts as a literal for every route alike.
        assert_eq!(both, [(1, 3), (2, 4)]);
        assert!(routes.matching("/v3/p1").is_empty());
        assert!(routes.matching("/v3//instances").is_empty());
    }

    #[test]
    fn parameters_keep_their_own_names_and_matches_come_in_table_order() {
        // Two templates share the parameter position but name it differently; the literal
        // route comes first in the table although the tree visits parameters last.
        let routes = Routes::new(["/a/{x}/c", "/a/b/{y}", "/a/{z}/{w}", "/a/b/c/d"]);
        let found = routes.matching("/a/b/c");
        let summary: Vec<(usize, Vec<(&str, String)>)> =
            found.into_iter().map(|m| (m.index, m.params)).collect();
        assert_eq!(
            summary,
            [
                (0, vec![("x", "b".to_string())]),
                (1, vec![("y", "c".to_string())]),
                (2, vec![("z", "b".to_string()), ("w", "c".to_string())]),
            ]
        );
        assert!(routes.matching("/a/b/c/d/e").is_empty());
        assert_eq!(routes.matching("/a/b/c/d").len(), 1);
    }

    /// The grammar the validator holds templates to (`codegen`'s `syntax::parse_path`): a
    /// parameter is a whole segment, and a segment with a brace and anything else is literal text.
    #[test]
    fn a_parameter_is_a_whole_segment() {
        let routes = Routes::new(["/a/{id}.json", "/b/{id}"]);
        assert!(routes.matching("/a/x.json").is_empty());
        assert_eq!(routes.matching("/a/{id}.json").len(), 1);
        let found = routes.matching("/b/x.json");
        assert_eq!(found[0].params, [("id", "x.json".to_string())]);
    }
}

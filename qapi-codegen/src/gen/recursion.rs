//! Which members need a `Box` because a type contains itself.
//!
//! An object or alternate holds its members inline, so a member whose type
//! can reach back to the containing type without going through an array
//! (a `Vec` is already indirect) must be boxed. These are exactly the
//! edges inside one strongly connected component of the "holds inline"
//! graph, computed here with an iterative Tarjan walk (no recursion, so
//! deep schemas cannot overflow the stack).

use qapi_parser::schema::{Schema, TypeId, TypeKind};

/// The strongly connected component of every type.
#[derive(Debug)]
pub struct Components {
    component: Vec<usize>,
}

impl Components {
    /// Compute the components of `schema`'s inline-containment graph.
    pub fn new(schema: &Schema) -> Self {
        let n = schema.types.len();
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| inline_edges(schema, TypeId(i as u32)))
            .collect();
        Components {
            component: tarjan(&edges),
        }
    }

    /// Whether a value of `inner` held inline in `outer` needs a box.
    pub fn needs_box(&self, outer: TypeId, inner: TypeId) -> bool {
        match (
            self.component.get(outer.index()),
            self.component.get(inner.index()),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// The types `id` holds inline.
fn inline_edges(schema: &Schema, id: TypeId) -> Vec<usize> {
    let mut out = Vec::new();
    match &schema.ty(id).kind {
        TypeKind::Object(o) => {
            out.extend(o.members.iter().map(|m| m.ty.index()));
            if let Some(v) = &o.variants {
                out.extend(v.branches.iter().map(|b| b.ty.index()));
            }
        }
        TypeKind::Alternate(a) => out.extend(a.branches.iter().map(|b| b.ty.index())),
        TypeKind::Builtin(_) | TypeKind::Enum(_) | TypeKind::Array { .. } => {}
    }
    out
}

/// Tarjan's algorithm with an explicit stack: the component number of
/// every node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    // (node, position of the next edge to look at)
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            let out = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&next) = out.get(*pos) {
                *pos += 1;
                if next >= n {
                    continue;
                }
                if index[next] == UNSEEN {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::tarjan;

    #[test]
    fn cycles_share_a_component() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0, 4 -> 4
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = tarjan(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }

    #[test]
    fn acyclic_nodes_are_alone() {
        let edges = vec![vec![1, 2], vec![2], vec![]];
        let c = tarjan(&edges);
        assert_ne!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        assert_ne!(c[0], c[2]);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = tarjan(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}

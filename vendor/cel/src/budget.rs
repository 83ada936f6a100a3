//! Evident patch: an evaluation budget, so that an expression written by an organization
//! cannot take down the program that evaluates it.
//!
//! The interpreter is recursive and allocates freely: a long chain of operators overflows the
//! stack, `s + s` repeated doubles a string until an allocation of gigabytes aborts, and nested
//! comprehensions run for hours. [`with_budget`] runs an evaluation under limits kept in a
//! thread-local; every node the interpreter evaluates passes through [`enter`] and
//! [`account`], which stop the evaluation with an error once a limit is passed. The reason is
//! kept for the caller ([`exceeded`]) so it can tell a budget from an ordinary error.

use std::cell::Cell;
use std::time::Instant;

use crate::common::types::{CelList, CelMap, CelString};
use crate::common::value::Val;
use crate::ExecutionError;

/// Limits for one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Most nodes evaluated.
    pub max_steps: u64,
    /// Deepest nesting of evaluation (recursion of the interpreter).
    pub max_depth: u32,
    /// Longest string a node may produce, in bytes.
    pub max_string: usize,
    /// Most elements of a list or entries of a map a node may produce.
    pub max_items: usize,
    /// Most bytes of strings and list or map slots all nodes together may produce.
    pub max_bytes: u64,
    /// When to stop, checked every few thousand steps.
    pub deadline: Option<Instant>,
}

#[derive(Clone, Copy)]
struct State {
    budget: Budget,
    steps: u64,
    depth: u32,
    bytes: u64,
}

thread_local! {
    static STATE: Cell<Option<State>> = const { Cell::new(None) };
    static EXCEEDED: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Runs `f` under `budget` on this thread. Budgets do not nest: the inner one replaces the
/// outer one while `f` runs.
pub fn with_budget<R>(budget: Budget, f: impl FnOnce() -> R) -> R {
    let saved = STATE.with(|s| {
        s.replace(Some(State {
            budget,
            steps: 0,
            depth: 0,
            bytes: 0,
        }))
    });
    EXCEEDED.with(|e| e.set(None));
    let result = f();
    STATE.with(|s| s.set(saved));
    result
}

/// Which limit stopped the last evaluation under [`with_budget`] on this thread, if any:
/// `"steps"`, `"depth"`, `"string"`, `"items"`, `"bytes"` or `"time"`.
pub fn exceeded() -> Option<&'static str> {
    EXCEEDED.with(Cell::get)
}

fn stop(which: &'static str, what: String) -> ExecutionError {
    EXCEEDED.with(|e| e.set(Some(which)));
    ExecutionError::function_error("evaluation budget", what)
}

/// Called when the interpreter starts on a node.
pub(crate) fn enter() -> Result<(), ExecutionError> {
    STATE.with(|s| {
        let Some(mut st) = s.get() else {
            return Ok(());
        };
        st.steps += 1;
        st.depth += 1;
        s.set(Some(st));
        let b = st.budget;
        if st.depth > b.max_depth {
            return Err(stop(
                "depth",
                format!("nesting deeper than {} levels", b.max_depth),
            ));
        }
        if st.steps > b.max_steps {
            return Err(stop(
                "steps",
                format!("more than {} evaluation steps", b.max_steps),
            ));
        }
        if st.steps % 4096 == 0 && b.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(stop("time", "the time budget ran out".to_string()));
        }
        Ok(())
    })
}

/// Called when the interpreter is done with a node (successfully or not).
pub(crate) fn leave() {
    STATE.with(|s| {
        if let Some(mut st) = s.get() {
            st.depth = st.depth.saturating_sub(1);
            s.set(Some(st));
        }
    });
}

/// Counts what a node produced against the size limits.
pub(crate) fn account(value: &dyn Val) -> Result<(), ExecutionError> {
    STATE.with(|s| {
        let Some(mut st) = s.get() else {
            return Ok(());
        };
        let b = st.budget;
        let bytes = if let Some(text) = value.downcast_ref::<CelString>() {
            let len = text.inner().len();
            if len > b.max_string {
                return Err(stop(
                    "string",
                    format!(
                        "a string of {len} bytes, more than the {}-byte limit",
                        b.max_string
                    ),
                ));
            }
            len
        } else if let Some(list) = value.downcast_ref::<CelList>() {
            let len = list.inner().len();
            if len > b.max_items {
                return Err(stop(
                    "items",
                    format!("a list of {len} items, more than the {} limit", b.max_items),
                ));
            }
            // Elements are copies: count the strings among them too, so that doubling a list
            // of long strings is stopped before it holds gigabytes.
            list.inner()
                .iter()
                .map(|item| {
                    item.downcast_ref::<CelString>()
                        .map_or(16, |t| t.inner().len() + 16)
                })
                .sum()
        } else if let Some(map) = value.downcast_ref::<CelMap>() {
            let len = map.inner().len();
            if len > b.max_items {
                return Err(stop(
                    "items",
                    format!(
                        "a map of {len} entries, more than the {} limit",
                        b.max_items
                    ),
                ));
            }
            len * 32
        } else {
            0
        };
        st.bytes = st.bytes.saturating_add(bytes as u64);
        s.set(Some(st));
        if st.bytes > b.max_bytes {
            return Err(stop(
                "bytes",
                format!("more than {} bytes of values produced", b.max_bytes),
            ));
        }
        Ok(())
    })
}

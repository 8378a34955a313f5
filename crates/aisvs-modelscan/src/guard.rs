//! Running third-party decoders so that a panic on hostile input becomes a finding, silently.
//!
//! `catch_unwind` stops the unwinding, but the process-wide panic hook has already printed its
//! message by then. The hook is the binary's to install; it asks [`in_guarded_call`] whether the
//! panic is one of these expected ones and stays quiet if so.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// Set while a guarded call runs on this thread.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `None`. Nested calls keep the outer state.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let outer = GUARDED.with(|g| g.replace(true));
    // AssertUnwindSafe: on a panic every value `f` touched is dropped or discarded by the caller,
    // which only keeps what it owns outside the closure and treats it as a partial result.
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.ok()
}

/// Whether the current thread is inside a guarded call, so that a panic hook can stay quiet about
/// a panic that will be caught and reported as a finding.
pub fn in_guarded_call() -> bool {
    GUARDED.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_and_the_flag_is_restored() {
        assert!(!in_guarded_call());
        let seen_inside = guarded(in_guarded_call);
        assert_eq!(seen_inside, Some(true));
        // The default hook's message lands in this test's captured output; the process-wide hook is left alone
        // so that no other test running meanwhile loses its panic message.
        let caught: Option<()> = guarded(|| panic!("hostile input"));
        assert_eq!(caught, None);
        assert!(!in_guarded_call());
    }

    #[test]
    fn nested_calls_keep_the_outer_state() {
        let inner_then_outer = guarded(|| (guarded(in_guarded_call), in_guarded_call()));
        assert_eq!(inner_then_outer, Some((Some(true), true)));
        assert!(!in_guarded_call());
    }
}

//! The portal's idea of "now". Production reads the system clock; tests (and the end-to-end
//! server, when asked) use a manual clock they can set and move, so that expiry and deadlines are
//! tested without waiting and without depending on today's date.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Manual(Mutex<OffsetDateTime>),
}

impl Clock {
    /// The system clock (UTC).
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `at` until it is set or advanced.
    pub fn manual(at: OffsetDateTime) -> Clock {
        Clock(Arc::new(Source::Manual(Mutex::new(at))))
    }

    /// The current instant, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        match &*self.0 {
            Source::System => OffsetDateTime::now_utc(),
            Source::Manual(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock forward (or back, with a negative duration). Returns false, and does
    /// nothing, on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(at) => {
                let mut at = at.lock().unwrap_or_else(|e| e.into_inner());
                *at += by;
                true
            }
        }
    }

    /// Sets a manual clock. Returns false, and does nothing, on the system clock.
    pub fn set(&self, to: OffsetDateTime) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(at) => {
                *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
                true
            }
        }
    }

    /// Unix seconds.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let clock = Clock::manual(datetime!(2026-03-30 21:59 UTC));
        assert_eq!(clock.now(), datetime!(2026-03-30 21:59 UTC));
        assert!(clock.advance(Duration::minutes(2)));
        assert_eq!(clock.now(), datetime!(2026-03-30 22:01 UTC));
        let copy = clock.clone();
        assert!(copy.set(datetime!(2027-01-01 0:00 UTC)));
        assert_eq!(
            clock.now(),
            datetime!(2027-01-01 0:00 UTC),
            "clones share the time"
        );
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.advance(Duration::hours(1)));
        assert!((clock.now() - OffsetDateTime::now_utc()).abs() < Duration::seconds(5));
    }
}

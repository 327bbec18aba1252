//! Back and forward through where you have been (`[` and `]`), as a browser does.
//!
//! A jump (filter, palette, click, link) adds a place; a run of plain moves (arrows,
//! pages) counts as one place, its last, so `[` after walking down a list goes back to
//! where the walk began rather than one row up.

/// How the selection got to a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Arrow keys, pages, home and end.
    Step,
    /// Filter, palette, mouse, open.
    Jump,
}

#[derive(Debug, Clone)]
pub struct History<T> {
    places: Vec<T>,
    /// Index of the current place in `places`.
    at: usize,
    /// Whether the current place was reached by a step (and may be replaced by the
    /// next one).
    stepped: bool,
    limit: usize,
}

impl<T: Copy + PartialEq> History<T> {
    pub fn new(start: T) -> History<T> {
        History {
            places: vec![start],
            at: 0,
            stepped: false,
            limit: 1000,
        }
    }

    pub fn current(&self) -> T {
        self.places[self.at]
    }

    /// Records arriving at `place`; forward history is dropped, as in a browser.
    pub fn visit(&mut self, place: T, how: Visit) {
        if place == self.current() {
            return;
        }
        self.places.truncate(self.at + 1);
        if how == Visit::Step && self.stepped {
            self.places[self.at] = place;
        } else {
            self.places.push(place);
            if self.places.len() > self.limit {
                self.places.remove(0);
            }
            self.at = self.places.len() - 1;
        }
        self.stepped = how == Visit::Step;
    }

    /// Changes the current place in place (what the user made of it before
    /// leaving: the tab they were on).
    pub fn set_current(&mut self, place: T) {
        self.places[self.at] = place;
    }

    /// Every place changed by `f`; places that become the one before them are
    /// kept once.
    pub fn map(&mut self, mut f: impl FnMut(T) -> T) {
        let mut kept: Vec<T> = Vec::with_capacity(self.places.len());
        let mut at = 0;
        for (i, p) in self.places.drain(..).enumerate() {
            let p = f(p);
            if kept.last() != Some(&p) {
                kept.push(p);
            }
            if i == self.at {
                at = kept.len().saturating_sub(1);
            }
        }
        self.places = kept;
        self.at = at;
        self.stepped = false;
    }

    /// The previous place, if any.
    pub fn back(&mut self) -> Option<T> {
        self.stepped = false;
        (self.at > 0).then(|| {
            self.at -= 1;
            self.places[self.at]
        })
    }

    /// The next place, after going back.
    pub fn forward(&mut self) -> Option<T> {
        self.stepped = false;
        (self.at + 1 < self.places.len()).then(|| {
            self.at += 1;
            self.places[self.at]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_and_forward_retrace_jumps() {
        let mut h = History::new('a');
        h.visit('b', Visit::Jump);
        h.visit('c', Visit::Jump);
        assert_eq!(h.back(), Some('b'));
        assert_eq!(h.back(), Some('a'));
        assert_eq!(h.back(), None);
        assert_eq!(h.forward(), Some('b'));
        assert_eq!(h.forward(), Some('c'));
        assert_eq!(h.forward(), None);
    }

    #[test]
    fn a_run_of_steps_is_one_place() {
        let mut h = History::new('a');
        h.visit('b', Visit::Step);
        h.visit('c', Visit::Step);
        h.visit('d', Visit::Step);
        assert_eq!(h.back(), Some('a'));
        assert_eq!(h.forward(), Some('d'));
        // Steps after going back start a new place.
        h.back();
        h.visit('x', Visit::Step);
        assert_eq!(h.current(), 'x');
        assert_eq!(h.forward(), None, "forward history dropped");
        assert_eq!(h.back(), Some('a'));
    }

    #[test]
    fn a_jump_ends_a_run() {
        let mut h = History::new('a');
        h.visit('b', Visit::Step);
        h.visit('j', Visit::Jump);
        h.visit('k', Visit::Step);
        assert_eq!(h.back(), Some('j'));
        assert_eq!(h.back(), Some('b'));
        assert_eq!(h.back(), Some('a'));
    }

    #[test]
    fn visiting_the_current_place_changes_nothing() {
        let mut h = History::new('a');
        h.visit('a', Visit::Jump);
        assert_eq!(h.back(), None);
    }
}

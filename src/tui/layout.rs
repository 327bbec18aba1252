//! Where things go on the screen, from its size alone: the view draws into these
//! areas and the update maps mouse clicks through the same ones.

use ratatui::layout::Rect;

/// Below this the screen says it is too small.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// Below this width one pane shows at a time (the focused one).
pub const SPLIT_WIDTH: u16 = 90;

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub screen: Rect,
    /// The breadcrumbs row.
    pub crumbs: Rect,
    /// The tree pane with its border, when shown.
    pub tree: Option<Rect>,
    /// The details pane with its border, when shown.
    pub details: Option<Rect>,
    /// The hint bar row.
    pub hints: Rect,
    /// The lesson pane with its border, when a lesson is open.
    pub lesson: Option<Rect>,
    pub too_small: bool,
}

impl Areas {
    pub fn new(width: u16, height: u16, details_focused: bool) -> Areas {
        let screen = Rect::new(0, 0, width, height);
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Areas {
                screen,
                too_small: true,
                ..Areas::default()
            };
        }
        let crumbs = Rect::new(0, 0, width, 1);
        let hints = Rect::new(0, height - 1, width, 1);
        let body = Rect::new(0, 1, width, height - 2);
        let (tree, details) = if width < SPLIT_WIDTH {
            if details_focused {
                (None, Some(body))
            } else {
                (Some(body), None)
            }
        } else {
            let tree_w = (width * 2 / 5).clamp(32, 64);
            (
                Some(Rect {
                    width: tree_w,
                    ..body
                }),
                Some(Rect {
                    x: tree_w,
                    width: width - tree_w,
                    ..body
                }),
            )
        };
        Areas {
            screen,
            crumbs,
            tree,
            details,
            hints,
            lesson: None,
            too_small: false,
        }
    }

    /// Room for the lesson pane: a column on the right of a wide screen, else rows
    /// at the bottom of the body.
    pub fn with_lesson(mut self) -> Areas {
        if self.too_small {
            return self;
        }
        let body = Rect::new(0, 1, self.screen.width, self.screen.height - 2);
        if self.screen.width >= 110 {
            let w = (self.screen.width / 3).clamp(36, 60);
            let rest = body.width - w;
            let tree_w = (rest * 2 / 5).clamp(28, 56);
            self.tree = Some(Rect {
                width: tree_w,
                ..body
            });
            self.details = Some(Rect {
                x: tree_w,
                width: rest - tree_w,
                ..body
            });
            self.lesson = Some(Rect {
                x: rest,
                width: w,
                ..body
            });
        } else {
            let h = (body.height / 2).clamp(4, 14);
            let top = body.height - h;
            let shrink = |r: Rect| Rect { height: top, ..r };
            self.tree = self.tree.map(shrink);
            self.details = self.details.map(shrink);
            self.lesson = Some(Rect {
                y: body.y + top,
                height: h,
                ..body
            });
        }
        self
    }

    /// The tree's rows (inside the border).
    pub fn tree_rows(&self) -> Option<Rect> {
        self.tree.map(inner)
    }

    /// The details tab titles row.
    pub fn tab_row(&self) -> Option<Rect> {
        self.details.map(|d| Rect {
            height: 1,
            ..inner(d)
        })
    }

    /// The details content, below the tab titles.
    pub fn detail_rows(&self) -> Option<Rect> {
        self.details.map(|d| {
            let i = inner(d);
            Rect {
                y: i.y + 1,
                height: i.height.saturating_sub(1),
                ..i
            }
        })
    }

    /// A popup centered on the screen, at most `w` by `h`.
    pub fn popup(&self, w: u16, h: u16) -> Rect {
        let w = w.min(self.screen.width.saturating_sub(2)).max(1);
        let h = h.min(self.screen.height.saturating_sub(2)).max(1);
        Rect::new(
            (self.screen.width - w) / 2,
            (self.screen.height - h) / 3,
            w,
            h,
        )
    }
}

impl Areas {
    /// The filter and palette popup.
    pub fn finder(&self) -> Rect {
        self.popup(88, 24)
    }

    /// The finder's result rows: below the input line and the count line.
    pub fn finder_rows(&self) -> Rect {
        let i = inner(self.finder());
        Rect {
            y: i.y + 2,
            height: i.height.saturating_sub(2),
            ..i
        }
    }

    /// The help popup.
    pub fn help(&self) -> Rect {
        self.popup(76, 40)
    }
}

/// The query pane's regions, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryParts {
    /// The names of the questions.
    pub kinds: Rect,
    /// One row per field.
    pub fields: Rect,
    /// The rule under the form.
    pub rule: Rect,
    /// All below the rule: completions, progress, or the answer.
    pub below: Rect,
    /// The answer's header lines.
    pub header: Rect,
    /// The answer's filter line; no height without a filter.
    pub filter: Rect,
    /// The answer's rows.
    pub rows: Rect,
}

impl QueryParts {
    /// The completion list's rows: below the rule, under a count line.
    pub fn candidates(&self) -> Rect {
        let b = self.below;
        Rect {
            y: b.y + 1.min(b.height),
            height: b.height.saturating_sub(1),
            ..b
        }
    }
}

impl Areas {
    /// The query pane: the body, over both panes.
    pub fn query(&self) -> Rect {
        Rect::new(
            0,
            1,
            self.screen.width,
            self.screen.height.saturating_sub(2),
        )
    }

    /// The query pane's regions for a form of `fields` rows and an answer with
    /// `header` lines and, if `filter`, a filter line.
    pub fn query_parts(&self, fields: u16, header: u16, filter: bool) -> QueryParts {
        let i = inner(self.query());
        let bottom = i.y + i.height;
        let mut y = i.y;
        let mut take = |h: u16| {
            let h = h.min(bottom.saturating_sub(y));
            let r = Rect { y, height: h, ..i };
            y += h;
            r
        };
        let kinds = take(1);
        let fields = take(fields);
        let rule = take(1);
        let below = Rect {
            y: rule.y + rule.height,
            height: bottom.saturating_sub(rule.y + rule.height),
            ..i
        };
        let header = take(header);
        let filter = take(u16::from(filter));
        let rows = take(u16::MAX);
        QueryParts {
            kinds,
            fields,
            rule,
            below,
            header,
            filter,
            rows,
        }
    }
}

/// Inside a one-cell border.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// Whether a screen cell is inside a rectangle.
pub fn contains(r: Rect, col: u16, row: u16) -> bool {
    col >= r.x && col < r.x + r.width && row >= r.y && row < r.y + r.height
}

/// The separator between tab titles.
pub const TAB_SEP: &str = " │ ";

/// Which tab title a column falls on, given the titles as drawn (`1 Overview`, ...),
/// starting at `x0`.
pub fn tab_at(titles: &[String], x0: u16, col: u16) -> Option<usize> {
    let mut x = x0;
    for (i, t) in titles.iter().enumerate() {
        let w = t.chars().count() as u16;
        if col >= x && col < x + w {
            return Some(i);
        }
        x += w + TAB_SEP.chars().count() as u16;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_split_narrow_ones_show_the_focused_pane() {
        let a = Areas::new(120, 40, false);
        assert!(a.tree.is_some() && a.details.is_some());
        assert_eq!(a.tree.unwrap().width + a.details.unwrap().width, 120);
        let a = Areas::new(60, 15, false);
        assert!(a.tree.is_some() && a.details.is_none());
        let a = Areas::new(60, 15, true);
        assert!(a.tree.is_none() && a.details.is_some());
        assert_eq!(a.detail_rows().unwrap().height, 15 - 2 - 2 - 1);
        assert!(Areas::new(39, 20, false).too_small);
        assert!(Areas::new(80, 9, false).too_small);
    }

    #[test]
    fn tab_titles_are_found_by_column() {
        let titles = vec!["1 Overview".to_string(), "2 Policies".to_string()];
        assert_eq!(tab_at(&titles, 10, 10), Some(0));
        assert_eq!(tab_at(&titles, 10, 19), Some(0));
        assert_eq!(tab_at(&titles, 10, 21), None, "the separator");
        assert_eq!(tab_at(&titles, 10, 23), Some(1));
        assert_eq!(tab_at(&titles, 10, 40), None);
    }

    #[test]
    fn the_query_pane_stacks_form_and_answer() {
        let a = Areas::new(120, 40, false);
        let q = a.query_parts(4, 2, true);
        assert_eq!(q.kinds.y, 2, "below the crumbs and the border");
        assert_eq!((q.fields.y, q.fields.height), (3, 4));
        assert_eq!(q.rule.y, 7);
        assert_eq!(q.below.y, 8);
        assert_eq!(q.header, Rect::new(1, 8, 118, 2));
        assert_eq!(q.filter.y, 10);
        assert_eq!(q.rows.y, 11);
        assert_eq!(
            q.rows.y + q.rows.height,
            38,
            "above the border and the hints"
        );
        // A tiny screen clips, never overflows.
        let q = Areas::new(40, 10, false).query_parts(4, 3, true);
        assert_eq!(q.rows.height, 0);
        assert!(q.fields.y + q.fields.height <= 8);
    }
}

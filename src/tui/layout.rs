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
            too_small: false,
        }
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
}

use super::*;

/// Two roots, `1` and `2`; node `n` has children `10n+1 ..= 10n+3` while `n < 100`.
struct Digits;

impl TreeSource for Digits {
    type Id = u32;
    fn roots(&self) -> Vec<u32> {
        vec![1, 2]
    }
    fn children(&self, id: u32) -> Vec<u32> {
        if id < 100 {
            (1..=3).map(|k| id * 10 + k).collect()
        } else {
            Vec::new()
        }
    }
    fn has_children(&self, id: u32) -> bool {
        id < 100
    }
    fn parent(&self, id: u32) -> Option<u32> {
        (id >= 10).then_some(id / 10)
    }
}

fn ids(t: &Tree<u32>) -> Vec<u32> {
    t.rows().iter().map(|r| r.id).collect()
}

#[test]
fn starts_with_the_roots_collapsed() {
    let t = Tree::new(&Digits);
    assert_eq!(ids(&t), [1, 2]);
    assert_eq!(t.selected(), Some(1));
    assert!(t.rows().iter().all(|r| r.expandable && !r.expanded));
}

#[test]
fn right_expands_then_enters_and_left_goes_back_up() {
    let mut t = Tree::new(&Digits);
    assert!(t.apply(&Digits, Move::Right));
    assert_eq!(ids(&t), [1, 11, 12, 13, 2]);
    assert_eq!(t.selected(), Some(1));
    t.apply(&Digits, Move::Right);
    assert_eq!(t.selected(), Some(11));
    t.apply(&Digits, Move::Right);
    assert_eq!(ids(&t), [1, 11, 111, 112, 113, 12, 13, 2]);
    t.apply(&Digits, Move::Right);
    assert_eq!(t.selected(), Some(111));
    // A leaf: Right does nothing.
    assert!(!t.apply(&Digits, Move::Right));
    // Left on a leaf goes to the parent, then collapses it, then goes up again.
    t.apply(&Digits, Move::Left);
    assert_eq!(t.selected(), Some(11));
    t.apply(&Digits, Move::Left);
    assert_eq!(ids(&t), [1, 11, 12, 13, 2]);
    t.apply(&Digits, Move::Left);
    assert_eq!(t.selected(), Some(1));
    t.apply(&Digits, Move::Left);
    assert_eq!(ids(&t), [1, 2]);
    assert!(
        !t.apply(&Digits, Move::Left),
        "a collapsed root has nowhere to go"
    );
}

#[test]
fn collapsing_remembers_what_was_open_below() {
    let mut t = Tree::new(&Digits);
    t.toggle(&Digits);
    t.apply(&Digits, Move::Down);
    t.toggle(&Digits); // open 11
    t.apply(&Digits, Move::Top);
    t.toggle(&Digits); // close 1
    assert_eq!(ids(&t), [1, 2]);
    assert!(t.is_expanded(11), "still open underneath");
    t.toggle(&Digits); // open 1 again: 11 comes back open
    assert_eq!(ids(&t), [1, 11, 111, 112, 113, 12, 13, 2]);
    assert!(t.rows()[1].expanded);
}

#[test]
fn collapsing_above_the_selection_keeps_it_on_the_same_node() {
    let mut t = Tree::new(&Digits);
    t.toggle(&Digits);
    t.apply(&Digits, Move::End);
    assert_eq!(t.selected(), Some(2));
    t.select_index(0);
    t.toggle(&Digits);
    t.apply(&Digits, Move::End);
    assert_eq!(t.selected(), Some(2));
}

#[test]
fn moves_stop_at_the_ends_and_pages_by_the_window() {
    let mut t = Tree::new(&Digits);
    t.set_height(4);
    t.toggle(&Digits);
    t.select_index(1);
    t.toggle(&Digits);
    t.select_index(5);
    t.toggle(&Digits);
    assert_eq!(t.rows().len(), 11);
    t.apply(&Digits, Move::Top);
    assert!(!t.apply(&Digits, Move::Up));
    t.apply(&Digits, Move::PageDown);
    assert_eq!(t.selected_index(), 3);
    assert_eq!(t.offset(), 0);
    t.apply(&Digits, Move::PageDown);
    assert_eq!(t.selected_index(), 6);
    assert_eq!(t.offset(), 3, "the window follows the selection");
    assert_eq!(t.window().len(), 4);
    t.apply(&Digits, Move::End);
    assert_eq!(t.selected_index(), 10);
    assert!(!t.apply(&Digits, Move::Down));
    assert_eq!(t.offset(), 7);
    t.apply(&Digits, Move::PageUp);
    assert_eq!(t.selected_index(), 7);
    t.apply(&Digits, Move::By(-100));
    assert_eq!(t.selected_index(), 0);
    t.apply(&Digits, Move::By(2));
    assert_eq!(t.selected_index(), 2);
}

#[test]
fn reveal_opens_the_ancestors_and_selects() {
    let mut t = Tree::new(&Digits);
    t.set_height(5);
    assert!(t.reveal(&Digits, 232));
    assert_eq!(t.selected(), Some(232));
    assert_eq!(t.selected_path(), [2, 23, 232]);
    assert!(t.is_expanded(2) && t.is_expanded(23));
    assert!(t.window().iter().any(|r| r.id == 232), "in sight");
    assert!(!t.reveal(&Digits, 4), "not in the tree");
    assert!(!t.reveal(&Digits, 135), "no such child");
    assert_eq!(
        t.selected(),
        Some(232),
        "a failed reveal leaves the selection"
    );
}

#[test]
fn shrinking_the_window_keeps_the_selection_visible() {
    let mut t = Tree::new(&Digits);
    t.set_height(20);
    assert!(t.reveal(&Digits, 233));
    t.set_height(2);
    let w: Vec<u32> = t.window().iter().map(|r| r.id).collect();
    assert!(w.contains(&233), "{w:?}");
}

/// Five thousand children open in one go, and the moves after it cost nothing.
struct Wide;

impl TreeSource for Wide {
    type Id = u32;
    fn roots(&self) -> Vec<u32> {
        vec![0]
    }
    fn children(&self, id: u32) -> Vec<u32> {
        if id == 0 {
            (1..=5000).collect()
        } else {
            Vec::new()
        }
    }
    fn has_children(&self, id: u32) -> bool {
        id == 0
    }
    fn parent(&self, id: u32) -> Option<u32> {
        (id != 0).then_some(0)
    }
}

#[test]
fn a_wide_node_opens_and_scrolls() {
    let mut t = Tree::new(&Wide);
    t.set_height(30);
    t.toggle(&Wide);
    assert_eq!(t.rows().len(), 5001);
    t.apply(&Wide, Move::End);
    assert_eq!(t.selected(), Some(5000));
    assert_eq!(t.window().len(), 30);
    assert_eq!(t.window()[29].id, 5000);
    t.apply(&Wide, Move::Left);
    assert_eq!(t.selected(), Some(0));
    t.apply(&Wide, Move::Left);
    assert_eq!(t.rows().len(), 1);
    assert_eq!(t.offset(), 0);
}

#[test]
fn a_tree_can_start_all_open() {
    let mut t = Tree::expanded(&Digits);
    // Two roots, 3 children each, 9 grandchildren each: 2 + 6 + 18.
    assert_eq!(t.rows().len(), 26);
    assert_eq!(ids(&t)[..5], [1, 11, 111, 112, 113]);
    assert!(t.rows().iter().all(|r| r.expanded == r.expandable));
    assert!(t.is_expanded(11));
    assert_eq!(t.selected(), Some(1));
    // Closing and opening keep working.
    t.select_index(1);
    t.toggle(&Digits);
    assert_eq!(t.rows().len(), 23);
    t.toggle(&Digits);
    assert_eq!(t.rows().len(), 26);
    // Some nodes closed: their rows are left out until opened.
    let mut t = Tree::opened(&Digits, |id| id != 11);
    assert_eq!(t.rows().len(), 23);
    assert!(!t.is_expanded(11) && t.is_expanded(12));
    t.select_index(1);
    assert!(t.toggle(&Digits));
    assert_eq!(t.rows().len(), 26);
    // Under a closed node, the others keep their word: opened, they show open.
    let mut t = Tree::opened(&Digits, |id| id != 1 && id != 22);
    assert_eq!(ids(&t), [1, 2, 21, 211, 212, 213, 22, 23, 231, 232, 233]);
    t.select_index(0);
    assert!(t.toggle(&Digits));
    assert_eq!(t.rows().len(), 11 + 12, "1's children open, with theirs");
}

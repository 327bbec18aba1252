//! A small deterministic generator (xorshift) for the agreement tests: the same seed
//! gives the same questions and scenarios on every run.
#![allow(dead_code)]

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    pub fn coin(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
}

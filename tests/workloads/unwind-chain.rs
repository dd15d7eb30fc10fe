// The Rust twin of unwind-chain.c: release builds omit frame pointers; the known chain is
// main;chain_a;chain_b;chain_c;leaf (symbols mangled as unwind_chain::chain_a etc.).
// Usage: unwind-chain-rs [SECONDS]
use std::hint::black_box;
use std::time::{Duration, Instant};

#[inline(never)]
fn leaf(mut x: u64) -> u64 {
    for _ in 0..20000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    }
    x
}

#[inline(never)]
fn chain_c(x: u64) -> u64 { let r = leaf(black_box(x ^ 3)); black_box(r) + x }
#[inline(never)]
fn chain_b(x: u64) -> u64 { let r = chain_c(black_box(x + 7)); black_box(r) ^ x }
#[inline(never)]
fn chain_a(x: u64) -> u64 { let r = chain_b(black_box(x.wrapping_mul(5))); black_box(r).wrapping_sub(x) }

fn main() {
    let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    let mut x = 1u64;
    while Instant::now() < end {
        for _ in 0..100 {
            x = chain_a(x);
        }
    }
    black_box(x);
}

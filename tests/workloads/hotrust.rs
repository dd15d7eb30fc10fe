// Rust names for demangling (legacy and v0 manglings).  usage: hotrust [SECONDS]
use std::time::Instant;

mod shapes {
    pub struct Square(pub u64);
    impl Square {
        #[inline(never)]
        pub fn grind(&self, rounds: u64) -> u64 {
            let mut x = self.0;
            for i in 0..rounds {
                x = x.wrapping_mul(2862933555777941757).wrapping_add(i);
                if i % 1024 == 0 {
                    x = std::hint::black_box(x);
                }
            }
            x
        }
    }
}

fn main() {
    let secs: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let start = Instant::now();
    let sq = shapes::Square(7);
    let mut acc = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        acc = acc.wrapping_add(sq.grind(1_000_000));
    }
    println!("hotrust: {}", acc);
}

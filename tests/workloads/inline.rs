// Iterator chains, collect and HashMap::insert for flame-record's DWARF tests: rustc -C opt-level=3
// -g inlines them into main.  usage: inline-rs [ROUNDS]
use std::collections::HashMap;

fn main() {
    let rounds: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut total = 0u64;
    for r in 0..rounds {
        let v: Vec<u64> = (0..200_000u64).map(|i| i.wrapping_mul(2862933555777941757) ^ r).filter(|x| x % 3 != 0).collect();
        let mut m: HashMap<u64, u64> = HashMap::new();
        for x in v.iter().take(50_000) {
            *m.entry(x % 4096).or_insert(0) += 1;
        }
        total = total.wrapping_add(v.iter().sum::<u64>()).wrapping_add(m.len() as u64);
    }
    println!("{}", total);
}

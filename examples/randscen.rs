#[path = "../tests/common/mod.rs"]
mod common;
fn main() {
    let a: Vec<usize> = std::env::args()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    let sc = common::random_scenario(a[0] as u64, a[1], a[2], a[3]);
    println!("{}", serde_json::to_string(&sc).unwrap());
}

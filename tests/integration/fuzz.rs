//! Seeded mutation fuzzing, short and deterministic (no nightly, no extra crate): thousands of
//! mutations of real inputs through the YAML loader, the `SHA256SUMS` parser and the
//! `allowed_signers` parser, asserting only that each returns (no panic). A failure prints the
//! seed and iteration so the input can be rebuilt.

use evident::evidence::manifest::Manifest;
use evident::evidence::sign::AllowedSigners;
use evident::load::{RawContent, RawFile, documents};

/// xorshift64*: small, seeded, the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the formats: YAML indicators, separators, quotes, control bytes and
/// the start of a multi-byte UTF-8 sequence.
const INTERESTING: &[&[u8]] = &[
    b":",
    b"- ",
    b"\n",
    b"  ",
    b"\t",
    b"\"",
    b"'",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!!",
    b"---\n",
    b"...\n",
    b"#",
    b"|",
    b">",
    b"?",
    b",",
    b"%YAML 1.2\n",
    b"\r",
    b"\0",
    b"\xc3",
    b"\xff",
    b"~",
    b"/",
    b"..",
    b"\\",
    b" *",
    b"  ",
    b"ssh-ed25519 ",
    b"namespaces=\"",
    b"cert-authority ",
    b"0000",
];

/// One random edit of `input`: flip, insert, delete, duplicate a slice, or splice a token.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    let at = rng.below(input.len() + 1);
    match rng.below(6) {
        0 if !input.is_empty() => {
            let i = at.min(input.len() - 1);
            input[i] ^= 1 << rng.below(8);
        }
        1 => {
            let token = INTERESTING[rng.below(INTERESTING.len())];
            input.splice(at..at, token.iter().copied());
        }
        2 if !input.is_empty() => {
            let end = (at + rng.below(16)).min(input.len());
            input.drain(at.min(end)..end);
        }
        3 if !input.is_empty() => {
            let start = rng.below(input.len());
            let end = (start + rng.below(64)).min(input.len());
            let slice: Vec<u8> = input[start..end].to_vec();
            input.splice(at..at, slice);
        }
        4 => {
            let b = (rng.next() & 0xff) as u8;
            input.insert(at, b);
        }
        _ => {
            let token = INTERESTING[rng.below(INTERESTING.len())];
            let end = (at + token.len()).min(input.len());
            input.splice(at..end, token.iter().copied());
        }
    }
}

/// Runs `target` on `iterations` mutants of the `seeds`, each mutated 1 to 8 times.
fn fuzz(name: &str, seeds: &[Vec<u8>], iterations: usize, target: impl Fn(&[u8])) {
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ name.len() as u64);
    for i in 0..iterations {
        let mut input = seeds[i % seeds.len()].clone();
        for _ in 0..=rng.below(8) {
            mutate(&mut rng, &mut input);
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&input)));
        assert!(
            outcome.is_ok(),
            "{name}: panic at iteration {i}; input:\n{}",
            String::from_utf8_lossy(&input)
        );
    }
}

fn reference_documents() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for entry in walkdir::WalkDir::new(super::root().join("policies")).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            seeds.push(std::fs::read(entry.path()).expect("read"));
        }
    }
    seeds
}

#[test]
fn yaml_loader_survives_mutations() {
    let seeds = reference_documents();
    assert!(seeds.len() > 10);
    fuzz("yaml", &seeds, 3000, |bytes| {
        let loaded = documents(vec![RawFile {
            path: "policies/fuzz.yaml".into(),
            content: RawContent::Bytes(bytes.to_vec()),
            origin: None,
        }]);
        // Every problem is located or belongs to a document.
        for p in &loaded.problems {
            assert!(!p.message.is_empty());
        }
        // Positions are recomputed for findings: the second parse must not panic either.
        if let Ok(text) = std::str::from_utf8(bytes) {
            let _ = evident::load::yaml::parse_with_positions(text);
        }
    });
}

#[test]
fn config_parser_survives_mutations() {
    let seeds = vec![
        b"apiVersion: evident/v1\nkind: Config\norganization: ACME Bank\ndocuments: [policies]\ncontrols: {extra: [controls], disable: [INC-001]}\nfail_on: low\nwaivers:\n  - control: SLM-004\n    documents: [\"policies/agreements/legacy-*.yaml\"]\n    reason: contract under renegotiation\n    approved_by: head-of-service-management\n    expires: 2027-01-31\n".to_vec(),
    ];
    fuzz("config", &seeds, 2000, |bytes| {
        let _ = evident::config::Config::parse(bytes);
    });
}

#[test]
fn manifest_parser_survives_mutations() {
    let seeds = vec![
        b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  pack.json\n\
          fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210  policies/a b.yaml\n\
          00000000000000000000000000000000000000000000000000000000000000ff *report/report.html\n"
            .to_vec(),
        b"\\0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  policies/new\\nline.yaml\n"
            .to_vec(),
    ];
    fuzz("manifest", &seeds, 3000, |bytes| {
        if let Ok(manifest) = Manifest::parse(bytes) {
            // What parses renders back to what parses the same way.
            let again = Manifest::parse(&manifest.render()).expect("rendered manifest parses");
            assert_eq!(again.render(), manifest.render());
        }
    });
}

#[test]
fn allowed_signers_parser_survives_mutations() {
    let key =
        std::fs::read_to_string(super::root().join("tests/fixtures/keys/signer.pub")).expect("key");
    let key = key.trim();
    let seeds = vec![
        format!("ci@acme.example {key}\n").into_bytes(),
        format!(
            "# trusted\nci@acme.example,*@acme.example namespaces=\"evident-pack-v1\",valid-after=\"20260101\" {key}\n\n\"quoted id\" cert-authority {key}\n"
        )
        .into_bytes(),
    ];
    fuzz("allowed_signers", &seeds, 3000, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let _ = AllowedSigners::parse(&text, "allowed_signers");
    });
}

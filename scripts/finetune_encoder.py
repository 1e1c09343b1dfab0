"""Fine-tune dyad's MiniLM event-type classifier with low-rank adapters (needs torch).

Usage:
    pip install torch==2.13.0          # CPU build; a GPU build works the same, only faster
    python scripts/finetune_encoder.py [--epochs 4] [--rank 16] [--device cpu|cuda]
                                       [--held-out-only] [--out PATH]

The all-MiniLM-L6-v2 weights stay frozen. Each linear layer of the six transformer blocks gets
a trainable low-rank update ``W + scale * B @ A`` (LoRA), and a softmax head is trained on
the mean-pooled, L2-normalised sentence vector, exactly as ``dyad.learn.encoder`` computes it.
Only the adapters and the head ship (``src/dyad/learn/data/plover_encoder.npz``, about 2 MB);
dyad runs them with NumPy, merging each update into its weight when the model loads.

Training data and the held-out split are those of ``scripts/train_classifier.py``: sentences
written for dyad, never evaluation data. The script first trains on 85% and reports held-out
accuracy and precision at several thresholds, then (unless ``--held-out-only``) trains again
on everything with the same settings and writes the weights. Seeded: the same data, settings
and hardware give the same weights.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_classifier import held_out_report, held_out_split, load_examples  # noqa: E402

from dyad.learn.adapter import ADAPTED_LAYERS, ADAPTER_WEIGHTS  # noqa: E402
from dyad.learn.classifier import balanced_targets  # noqa: E402
from dyad.learn.encoder import HEADS, LAYERS, MAX_TOKENS, model_dir  # noqa: E402

# Unit sentence vectors are scaled by this before the head, so that its logits can spread
# without the head's weights having to grow large first.
HEAD_SCALE = 16.0
SETTINGS = {
    "epochs": 4,
    "rank": 16,
    "alpha": 32,
    "dropout": 0.1,
    "batch_size": 32,
    "adapter_lr": 1e-3,
    "head_lr": 1e-2,
    "weight_decay": 0.01,
    "warmup": 0.1,
    "seed": 0,
}


def build_model(torch, weights: dict, labels: int, rank: int, alpha: float, dropout: float):
    """A torch copy of dyad's NumPy MiniLM forward pass with LoRA on every block's linears."""
    nn = torch.nn
    functional = torch.nn.functional

    def frozen(name):
        return nn.Parameter(torch.tensor(weights[name]), requires_grad=False)

    class LoRALinear(nn.Module):
        def __init__(self, prefix: str):
            super().__init__()
            self.weight = frozen(prefix + ".weight")
            self.bias = frozen(prefix + ".bias")
            out_features, in_features = self.weight.shape
            self.a = nn.Parameter(torch.empty(rank, in_features))
            nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
            self.b = nn.Parameter(torch.zeros(out_features, rank))
            self.drop = nn.Dropout(dropout)
            self.scale = alpha / rank

        def forward(self, x):
            update = (self.drop(x) @ self.a.T) @ self.b.T
            return functional.linear(x, self.weight, self.bias) + update * self.scale

    class Block(nn.Module):
        def __init__(self, layer: int):
            super().__init__()
            p = f"encoder.layer.{layer}."
            self.linears = nn.ModuleDict(
                {name.replace(".", "_"): LoRALinear(p + name) for name in ADAPTED_LAYERS}
            )
            self.norms = nn.ParameterDict(
                {
                    key.replace(".", "_"): frozen(p + key)
                    for key in (
                        "attention.output.LayerNorm.weight",
                        "attention.output.LayerNorm.bias",
                        "output.LayerNorm.weight",
                        "output.LayerNorm.bias",
                    )
                }
            )

        def linear(self, name, x):
            return self.linears[name.replace(".", "_")](x)

        def norm(self, name, x):
            w = self.norms[name.replace(".", "_") + "_weight"]
            b = self.norms[name.replace(".", "_") + "_bias"]
            return functional.layer_norm(x, (x.shape[-1],), w, b, eps=1e-12)

        def forward(self, x, bias):
            n, length, hidden = x.shape
            head = hidden // HEADS

            def heads(t):
                return t.view(n, length, HEADS, head).transpose(1, 2)

            q = heads(self.linear("attention.self.query", x))
            k = heads(self.linear("attention.self.key", x))
            v = heads(self.linear("attention.self.value", x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head) + bias
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(n, length, hidden)
            x = self.norm(
                "attention.output.LayerNorm", self.linear("attention.output.dense", context) + x
            )
            inner = functional.gelu(self.linear("intermediate.dense", x))
            return self.norm("output.LayerNorm", self.linear("output.dense", inner) + x)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = frozen("embeddings.word_embeddings.weight")
            self.position = frozen("embeddings.position_embeddings.weight")
            self.token_type = frozen("embeddings.token_type_embeddings.weight")
            self.norm_w = frozen("embeddings.LayerNorm.weight")
            self.norm_b = frozen("embeddings.LayerNorm.bias")
            self.blocks = nn.ModuleList(Block(i) for i in range(LAYERS))
            self.head = nn.Linear(self.word.shape[1], labels)

        def embed(self, ids, mask):
            length = ids.shape[1]
            x = self.word[ids] + self.position[:length][None] + self.token_type[0][None, None]
            x = functional.layer_norm(x, (x.shape[-1],), self.norm_w, self.norm_b, eps=1e-12)
            bias = (1.0 - mask)[:, None, None, :] * -1e9
            for block in self.blocks:
                x = block(x, bias)
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
            return functional.normalize(pooled, dim=1)

        def forward(self, ids, mask):
            return self.head(self.embed(ids, mask) * HEAD_SCALE)

    return Classifier()


def fit(torch, texts, labels, names, settings, device, log):
    """Train adapters and head on (texts, labels); return the model."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    torch.manual_seed(settings["seed"])
    directory = model_dir()
    weights = load_file(str(directory / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    model = build_model(
        torch, weights, len(names), settings["rank"], settings["alpha"], settings["dropout"]
    ).to(device)
    _, targets, sample_weight = balanced_targets(labels)
    y = torch.tensor(targets.argmax(1), device=device)
    class_weight = torch.tensor(
        [float(sample_weight[targets[:, i] > 0][0]) for i in range(len(names))],
        dtype=torch.float32,
        device=device,
    )
    adapters = [p for n, p in model.named_parameters() if p.requires_grad and "head" not in n]
    optimizer = torch.optim.AdamW(
        [
            {"params": adapters, "lr": settings["adapter_lr"]},
            {"params": model.head.parameters(), "lr": settings["head_lr"]},
        ],
        weight_decay=settings["weight_decay"],
    )
    batch = settings["batch_size"]
    steps = settings["epochs"] * math.ceil(len(texts) / batch)
    warmup = max(1, int(steps * settings["warmup"]))

    def schedule(step):
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (steps - step) / (steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    generator = np.random.default_rng(settings["seed"])
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weight)
    step = 0
    started = time.time()
    for epoch in range(settings["epochs"]):
        model.train()
        order = generator.permutation(len(texts))
        total = 0.0
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            ids, mask = _encode(torch, tokenizer, [texts[i] for i in chunk], device)
            loss = loss_fn(model(ids, mask), y[torch.tensor(chunk, device=device)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += float(loss.detach()) * len(chunk)
            step += 1
        log(
            f"epoch {epoch + 1}/{settings['epochs']}: loss {total / len(texts):.4f}, "
            f"{time.time() - started:.0f} s"
        )
    model.eval()
    return model, tokenizer


def _encode(torch, tokenizer, texts, device):
    encodings = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encodings], dtype=torch.long, device=device)
    mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.float32, device=device)
    return ids, mask


def predict(torch, model, tokenizer, texts, names, device) -> list[tuple[str, float]]:
    """(label, probability) for each text."""
    out = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            ids, mask = _encode(torch, tokenizer, texts[start : start + 64], device)
            probabilities = model(ids, mask).softmax(-1).cpu().numpy()
            out.extend(
                (names[i], float(probabilities[r, i]))
                for r, i in enumerate(probabilities.argmax(1))
            )
    return out


def export(model, names, settings, path: Path) -> None:
    """Write the adapters (A, B per linear), their scale and the head as a NumPy archive."""
    arrays = {"labels": np.array(names), "scale": np.array(settings["alpha"] / settings["rank"])}
    for layer, block in enumerate(model.blocks):
        for name in ADAPTED_LAYERS:
            linear = block.linears[name.replace(".", "_")]
            key = f"encoder.layer.{layer}.{name}"
            arrays[key + ".a"] = linear.a.detach().cpu().numpy().astype(np.float32)
            arrays[key + ".b"] = linear.b.detach().cpu().numpy().astype(np.float32)
    # the head reads unit vectors times HEAD_SCALE: fold the factor into its weights
    weights = model.head.weight.detach().cpu().numpy().T * HEAD_SCALE
    arrays["weights"] = weights.astype(np.float32)
    arrays["bias"] = model.head.bias.detach().cpu().numpy().astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


def main(argv: list[str] | None = None) -> int:
    """Report held-out accuracy, then train on everything and write the adapters."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--held-out-only", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="skip the held-out run")
    parser.add_argument(
        "--held-out-model",
        type=Path,
        help="also write the model trained without the held-out split (for calibration)",
    )
    parser.add_argument("--out", type=Path, default=ADAPTER_WEIGHTS)
    parser.add_argument("--limit", type=int, default=0, help="use only N examples (smoke runs)")
    for key, value in SETTINGS.items():
        parser.add_argument("--" + key.replace("_", "-"), type=type(value), default=value)
    args = parser.parse_args(argv)
    import torch

    settings = {key: getattr(args, key) for key in SETTINGS}
    examples = load_examples()
    if args.limit:
        examples = examples[:: max(1, len(examples) // args.limit)]
    texts = [t for t, _ in examples]
    labels = [label for _, label in examples]
    names = tuple(sorted(set(labels)))
    print(f"{len(texts)} examples, {len(names)} labels, settings {json.dumps(settings)}")
    if not args.no_report:
        fit_idx, test_idx = held_out_split(labels)
        model, tokenizer = fit(
            torch,
            [texts[i] for i in fit_idx],
            [labels[i] for i in fit_idx],
            names,
            settings,
            args.device,
            print,
        )
        held_out = [texts[i] for i in test_idx]
        predicted = predict(torch, model, tokenizer, held_out, names, args.device)
        print(json.dumps(held_out_report(predicted, [labels[i] for i in test_idx]), indent=1))
        if args.held_out_model:
            export(model, names, settings, args.held_out_model)
            print(f"wrote {args.held_out_model}")
        if args.held_out_only:
            return 0
    model, _ = fit(torch, texts, labels, names, settings, args.device, print)
    export(model, names, settings, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

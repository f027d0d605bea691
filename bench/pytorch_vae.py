#!/usr/bin/python3
"""The reference VAE in PyTorch, for comparing speed and log-likelihood with the C# engine.

784-400-20 MLP VAE, ReLU, Gaussian likelihood N(x; sigmoid(f(z)), sigma^2 I) with fixed sigma = 0.1,
closed-form KL, beta = 1, Adam(lr 1e-3), batch 128, nn.Linear default initialisation, pixels scaled to [0, 1].
Data is read straight from the Fashion-MNIST IDX .gz files (numpy + gzip; no downloads, no torchvision).
10 000 examples of the training file are held out (seeded permutation), the model trains on the rest, and the
importance-sampling estimate uses the first N *test* examples -- the same ones `bench ll` scores in C#.

Run with the Debian interpreter, which has torch: /usr/bin/python3 bench/pytorch_vae.py train --threads 2
Modes (each prints human lines and machine lines "RESULT key=value"):
  train  samples/s over --steps optimiser steps after --warmup steps
  eval   examples/s of the K-sample IS estimate on --examples test examples (untrained weights)
  ll     --epochs full epochs, then the IS log-likelihood of the first --examples test examples
  whole  what one trial does, timed by phase: --epochs full epochs, each followed by the validation ELBO on the
         --validation held-out examples (one eps per example, as the C# engine measures it), then the IS
         estimate of the first --examples test examples (and validation examples with --estimate-validation); run.sh times the whole process from outside
Threading: --threads sets torch.set_num_threads; BLAS threads follow OMP_NUM_THREADS / OPENBLAS_NUM_THREADS,
which run.sh varies.
"""
import argparse
import resource
import gzip
import math
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
LATENT, HIDDEN, SIGMA, BATCH, LR, VALIDATION = 20, 400, 0.1, 128, 1e-3, 10_000


def load_images(path):
    """IDX3 images as a float32 [count, rows*cols] array in [0, 1]."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 2051:
        sys.exit(f"{path}: not an IDX3 image file (magic {magic})")
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16)
    if pixels.size != count * rows * cols:
        sys.exit(f"{path}: expected {count}x{rows}x{cols} pixels, found {pixels.size}")
    return pixels.reshape(count, rows * cols).astype(np.float32) / 255.0


class Vae(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.enc = nn.Linear(d, HIDDEN)
        self.mu = nn.Linear(HIDDEN, LATENT)
        self.logvar = nn.Linear(HIDDEN, LATENT)
        self.dec = nn.Linear(LATENT, HIDDEN)
        self.out = nn.Linear(HIDDEN, d)

    def encode(self, x):
        h = torch.relu(self.enc(x))
        return self.mu(h), self.logvar(h)

    def decode(self, z):
        return self.out(torch.relu(self.dec(z)))  # logits; the mean is sigmoid(logits)


def gaussian_log_likelihood(logits, x):
    """log N(x; sigmoid(logits), sigma^2 I), summed over pixels."""
    d = x.shape[-1]
    sq = (x - torch.sigmoid(logits)).pow(2).sum(-1)
    return -0.5 * d * math.log(2 * math.pi * SIGMA ** 2) - 0.5 * sq / SIGMA ** 2


def loss_fn(model, x):
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    recon = -gaussian_log_likelihood(model.decode(z), x)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1)
    return (recon + kl).mean()


def train_steps(model, opt, train, steps, rng):
    n = train.shape[0]
    order, pos = rng.permutation(n), 0
    for _ in range(steps):
        if pos + BATCH > n:
            order, pos = rng.permutation(n), 0
        x = train[order[pos:pos + BATCH]]
        pos += BATCH
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model, x)
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def validation_elbo(model, images):
    """Mean ELBO over images, one eps per example, in batches of BATCH (what the C# engine reports per epoch)."""
    total = 0.0
    for s in range(0, images.shape[0], BATCH):
        x = images[s:s + BATCH]
        mu, logvar = model.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = -gaussian_log_likelihood(model.decode(z), x)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1)
        total += (recon + kl).sum().item()
    return -total / images.shape[0]


@torch.no_grad()
def importance_ll(model, images, k):
    """Per-example log p(x) ~ logsumexp_k[log p(x|z_k) + log p(z_k) - log q(z_k|x)] - log K, z_k ~ q(z|x)."""
    out = []
    half_log_2pi = 0.5 * math.log(2 * math.pi)
    for i in range(images.shape[0]):
        x = images[i:i + 1]
        mu, logvar = model.encode(x)
        eps = torch.randn(k, LATENT)
        std = torch.exp(0.5 * logvar)
        z = mu + std * eps
        log_px_z = gaussian_log_likelihood(model.decode(z), x)
        log_pz = (-0.5 * z.pow(2) - half_log_2pi).sum(-1)
        log_qz = (-0.5 * eps.pow(2) - 0.5 * logvar - half_log_2pi).sum(-1)
        w = (log_px_z + log_pz - log_qz).double()
        out.append((torch.logsumexp(w, 0) - math.log(k)).item())
    return np.array(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["train", "eval", "ll", "whole"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=200, help="timed training steps (train)")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps first (train)")
    p.add_argument("--epochs", type=int, default=10, help="full epochs (ll)")
    p.add_argument("--examples", type=int, default=20, help="test examples for the IS estimate (eval, ll)")
    p.add_argument("--k", type=int, default=1000, help="importance samples per example")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=DATA)
    p.add_argument("--validation", type=int, default=VALIDATION, help="examples held out of the training file")
    p.add_argument("--estimate-validation", action="store_true",
                   help="whole: also estimate the first --examples validation examples (what a `vaesweep run` trial does)")
    a = p.parse_args()
    loaded = time.perf_counter()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    train_file = load_images(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    test = torch.from_numpy(load_images(os.path.join(a.data, "t10k-images-idx3-ubyte.gz")))
    held_out = np.random.default_rng(1).permutation(train_file.shape[0])
    train = torch.from_numpy(train_file[np.sort(held_out[a.validation:])])
    validation = torch.from_numpy(train_file[np.sort(held_out[:a.validation])])
    load_s = time.perf_counter() - loaded
    model = Vae(train.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    env = {k: os.environ.get(k, "-") for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    print(f"torch {torch.__version__}, set_num_threads({a.threads}), {env}")

    if a.mode == "train":
        train_steps(model, opt, train, a.warmup, rng)
        start = time.perf_counter()
        loss = train_steps(model, opt, train, a.steps, rng)
        rate = a.steps * BATCH / (time.perf_counter() - start)
        print(f"training: {rate:.0f} samples/s over {a.steps} steps (last loss {loss:.2f})")
        print(f"RESULT train_samples_per_s={rate:.1f}")
    elif a.mode == "eval":
        importance_ll(model, test[:1], a.k)
        start = time.perf_counter()
        ll = importance_ll(model, test[:a.examples], a.k)
        rate = a.examples / (time.perf_counter() - start)
        print(f"IS estimate, K={a.k}, {a.examples} examples: {rate:.2f} examples/s (untrained log p(x) ~ {ll.mean():.1f})")
        print(f"RESULT eval_examples_per_s={rate:.3f}")
    elif a.mode == "whole":
        steps_per_epoch = math.ceil(train.shape[0] / BATCH)
        train_s = validation_s = 0.0
        for epoch in range(1, a.epochs + 1):
            perm = torch.from_numpy(rng.permutation(train.shape[0]))
            start = time.perf_counter()
            for s in range(steps_per_epoch):
                x = train[perm[s * BATCH:(s + 1) * BATCH]]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model, x)
                loss.backward()
                opt.step()
            loss.item()
            middle = time.perf_counter()
            elbo = validation_elbo(model, validation)
            train_s += middle - start
            validation_s += time.perf_counter() - middle
            print(f"epoch {epoch}: validation ELBO {elbo:.2f}")
        start = time.perf_counter()
        if a.estimate_validation:
            valid_ll = importance_ll(model, validation[:a.examples], a.k)
            print(f"validation log p(x) {valid_ll.mean():.2f}")
        ll = importance_ll(model, test[:a.examples], a.k)
        estimate_s = time.perf_counter() - start
        se = ll.std(ddof=1) / math.sqrt(len(ll)) if len(ll) > 1 else 0.0
        rate = a.epochs * train.shape[0] / train_s
        print(f"data load {load_s:.2f} s")
        print(f"train {train_s:.2f} s ({rate:.0f} samples/s), validation {validation_s:.2f} s, "
              f"estimate {estimate_s:.2f} s (log p(x) {ll.mean():.2f}), "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        print(f"RESULT load_s={load_s:.3f}")
        print(f"RESULT train_s={train_s:.3f}")
        print(f"RESULT validation_s={validation_s:.3f}")
        print(f"RESULT estimate_s={estimate_s:.3f}")
        print(f"RESULT train_samples_per_s={rate:.1f}")
        print(f"RESULT test_ll={ll.mean():.4f}")
        print(f"RESULT test_ll_se={se:.4f}")
    else:
        steps_per_epoch = math.ceil(train.shape[0] / BATCH)
        for epoch in range(1, a.epochs + 1):
            perm = torch.from_numpy(rng.permutation(train.shape[0]))
            start, total = time.perf_counter(), 0.0
            for s in range(steps_per_epoch):
                x = train[perm[s * BATCH:(s + 1) * BATCH]]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model, x)
                loss.backward()
                opt.step()
                total += loss.item() * x.shape[0]
            rate = train.shape[0] / (time.perf_counter() - start)
            print(f"epoch {epoch}: train ELBO {-total / train.shape[0]:.2f}  {rate:.0f} samples/s")
        start = time.perf_counter()
        ll = importance_ll(model, test[:a.examples], a.k)
        se = ll.std(ddof=1) / math.sqrt(len(ll)) if len(ll) > 1 else 0.0
        print(f"test log p(x), K={a.k}, first {len(ll)} examples: {ll.mean():.2f} +- {se:.2f} nats, "
              f"{time.perf_counter() - start:.1f} s")
        print(f"RESULT test_ll={ll.mean():.4f}")
        print(f"RESULT test_ll_se={se:.4f}")


if __name__ == "__main__":
    main()

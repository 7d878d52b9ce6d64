"""Why does the biLM learn slowly per token? A forward LSTM language model alone, fed word
embeddings (``--input word``) or wordvec's character CNN (``--input char``, optionally followed by a
LayerNorm, ``--ln``), on the first ``--tokens`` tokens of running.txt.gz, 1 % of the sentences held
out, against an interpolated Kneser-Ney bigram on the same split (issue 12; RESULTS.md, "ELMo
biLM, session 5").

    python benchmarks/diag_lm_input.py --tokens 300000 --epochs 3 --input word --lstm 256 --proj 256
"""
import argparse
import collections
import gzip
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

SHARED = Path(os.environ.get("WORDVEC_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
p = argparse.ArgumentParser()
p.add_argument("--tokens", type=int, default=300000)
p.add_argument("--input", default="word")  # word | char
p.add_argument("--lstm", type=int, default=512); p.add_argument("--proj", type=int, default=128)
p.add_argument("--lr", type=float, default=4e-3); p.add_argument("--batch", type=int, default=1024)
p.add_argument("--epochs", type=int, default=1); p.add_argument("--softmax", default="adaptive")
p.add_argument("--dropout", type=float, default=0.1); p.add_argument("--layers", type=int, default=2)
p.add_argument("--ln", action="store_true"); p.add_argument("--threads", type=int, default=2); p.add_argument("--clip", type=float, default=1.0)
a = p.parse_args(); torch.manual_seed(0); torch.set_num_threads(a.threads)
sents = []; n = 0
with gzip.open(SHARED / "corpora/en/running.txt.gz", "rt") as fh:
    for line in fh:
        t = line.split()[:100]
        if not t: continue
        sents.append(t); n += len(t)
        if n >= a.tokens: break
rng = np.random.default_rng(0); held = set(rng.choice(len(sents), len(sents)//100, replace=False).tolist())
train = [s for i, s in enumerate(sents) if i not in held]; test = [s for i, s in enumerate(sents) if i in held]
cnt = collections.Counter(w for s in train for w in s)
words = ["<unk>", "<s>", "</s>"] + [w for w, c in cnt.most_common() if c >= 3]
idx = {w: i for i, w in enumerate(words)}; V = len(words)
def enc(s): return [1] + [idx.get(w, 0) for w in s] + [2]
def bigram(train, test):
    # interpolated KN bigram
    uni = collections.Counter(); bi = collections.Counter(); cont = collections.Counter(); follow = collections.Counter()
    for s in train:
        e = enc(s)
        for x, y in zip(e, e[1:]): bi[(x, y)] += 1; uni[x] += 1
    for (x, y) in bi: cont[y] += 1; follow[x] += 1
    nb = len(bi); D = 0.75; nll = 0; k = 0
    for s in test:
        e = enc(s)
        for x, y in zip(e, e[1:]):
            pc = max(cont[y], 0.5) / nb
            c = uni[x]
            pr = (max(bi[(x, y)] - D, 0) / c + D * follow[x] / c * pc) if c else pc
            nll -= math.log(pr); k += 1
    return math.exp(nll / k)
print(f"V={V} train={sum(map(len,train))} test={sum(map(len,test))} KN bigram ppl={bigram(train, test):.1f}", flush=True)
class LM(nn.Module):
    def __init__(s):
        super().__init__()
        if a.input == "char":
            from wordvec.contextual.charcnn import CharCNNEncoder
            from wordvec.contextual.config import BiLMConfig
            from wordvec.contextual.chars import char_table
            s.enc = CharCNNEncoder(BiLMConfig(projection_dim=a.proj, lstm_dim=a.lstm))
            s.table = torch.from_numpy(char_table(words)).long()
            s.norm = nn.LayerNorm(a.proj) if a.ln else nn.Identity()
        else:
            s.emb = nn.Embedding(V, a.proj)
        s.lstms = nn.ModuleList(nn.LSTM(a.proj, a.lstm, proj_size=a.proj if a.proj < a.lstm else 0, batch_first=True) for _ in range(a.layers))
        out = a.proj if a.proj < a.lstm else a.lstm
        s.sm = nn.AdaptiveLogSoftmaxWithLoss(out, V, [c for c in (2000, 10000) if c < V - 1], div_value=4.0) if a.softmax == "adaptive" else None
        s.full = nn.Linear(out, V) if a.softmax == "full" else None
    def forward(s, x, y, mask, drop):
        if a.input == "char":
            u, inv = torch.unique(x, return_inverse=True)
            h = s.norm(s.enc(s.table[u]))[inv]
        else:
            h = s.emb(x)
        for k, l in enumerate(s.lstms):
            o = l(nn.functional.dropout(h, drop, s.training))[0]
            h = o + h if k > 0 else o
        h = nn.functional.dropout(h[mask], drop, s.training)
        if s.sm is not None: return -s.sm(h, y[mask]).output.sum()
        return nn.functional.cross_entropy(s.full(h), y[mask], reduction="sum")
m = LM(); opt = torch.optim.Adam(m.parameters(), lr=a.lr)
def batches(data, shuffle):
    order = sorted(range(len(data)), key=lambda i: len(data[i]))
    out = []; cur = []; cur_t = 0
    for i in order:
        cur.append(i); cur_t += len(data[i]) + 1
        if cur_t >= a.batch: out.append(cur); cur = []; cur_t = 0
    if cur: out.append(cur)
    if shuffle: rng.shuffle(out)
    return out
def tensors(data, b):
    e = [enc(data[i]) for i in b]; T = max(map(len, e)) - 1
    x = torch.zeros(len(e), T, dtype=torch.long); y = torch.zeros_like(x); mask = torch.zeros(len(e), T, dtype=torch.bool)
    for r, s in enumerate(e):
        x[r, :len(s)-1] = torch.tensor(s[:-1]); y[r, :len(s)-1] = torch.tensor(s[1:]); mask[r, :len(s)-1] = True
    return x, y, mask
def evaluate():
    m.eval(); nll = 0; k = 0
    with torch.no_grad():
        for b in batches(test, False):
            x, y, mask = tensors(test, b); nll += m(x, y, mask, 0).item(); k += int(mask.sum())
    m.train(); return math.exp(nll / k)
total = len(batches(train, False)) * a.epochs; step = 0; t0 = time.time()
for ep in range(a.epochs):
    tn = 0; tk = 0
    for b in batches(train, True):
        lr = a.lr - (a.lr - a.lr / 10) * step / total
        for g in opt.param_groups: g["lr"] = lr
        x, y, mask = tensors(train, b); loss = m(x, y, mask, a.dropout); k = int(mask.sum())
        opt.zero_grad(); (loss / k).backward(); nn.utils.clip_grad_norm_(m.parameters(), a.clip); opt.step()
        tn += loss.item(); tk += k; step += 1
    print(f"epoch {ep+1}: train ppl {math.exp(tn/tk):.1f} heldout {evaluate():.1f}  {time.time()-t0:.0f}s", flush=True)

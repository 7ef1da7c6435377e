"""How often do two editors write the same tune in the same time signature?

The engraving bench counts the meter right only when the engraved time signature equals the score's. This script measures
how far editors themselves agree: it takes the tune collections of the music21 corpus (O'Neill's 1850, Ryan's Mammoth,
Aird's Airs, the Nottingham file), pairs tunes of different collections with the same title (lower case, letters only,
a leading "the" dropped, at least 6 letters), keeps the pairs whose first 16 melodic intervals mostly agree (at least 60%
equal at the best of 3 x 3 offsets: the same tune, not just the same name), and prints how often their first time
signatures agree, exactly and with 2/4, 4/4 and 2/2 taken as one.

Run: python bench/editors_meter.py   (a few seconds: it reads the ABC headers and parses only the matched tunes)
"""
import collections, itertools, re, warnings
from pathlib import Path
import numpy as np, music21

COLLECTIONS = ('oneills1850', 'ryansMammoth', 'airdsAirs', 'nottingham-dataset')
DUPLE = {'2/4', '4/4', '2/2'}

def norm(t:str)->str: return re.sub(r'^the', '', re.sub(r'[^a-z]', '', t.lower()))

def tunes()->dict:
    "(normalized title, collection) -> (time signature, ABC text) of the first tune of that title in that collection."
    out = {}
    for coll in COLLECTIONS:
        for p in music21.corpus.getComposer(coll):
            p = Path(str(p))
            if p.suffix.lower() != '.abc': continue
            for block in re.split(r'\n(?=X:)', p.read_text(errors='ignore')):
                T = re.search(r'^T:\s*(.+)$', block, re.M); M = re.search(r'^M:\s*(\S+)', block, re.M)
                if not T or not M: continue
                m = {'C|': '2/2', 'C': '4/4'}.get(M.group(1).strip(), M.group(1).strip()); t = norm(T.group(1))
                if len(t) >= 6: out.setdefault((t, coll), (m, block))
    return out

def intervals(block:str)->np.ndarray:
    s = music21.converter.parse(block, format='abc')
    return np.diff([n.pitch.midi for n in s.recurse().notes if n.isNote][:17])

def same_tune(b1:str, b2:str)->bool:
    a, b = intervals(b1), intervals(b2); n = min(len(a), len(b))
    return n >= 8 and max(np.mean(a[i:i + n - 3] == b[j:j + n - 3]) for i in range(3) for j in range(3)) >= 0.6

def main():
    warnings.filterwarnings('ignore')
    tt = tunes(); by_title = collections.defaultdict(list)
    for (t, c), v in tt.items(): by_title[t].append((c, *v))
    pairs = [(t, a, b) for t, v in by_title.items() for a, b in itertools.combinations(v, 2)]
    same = []
    for t, (c1, m1, b1), (c2, m2, b2) in pairs:
        try:
            if same_tune(b1, b2): same.append((t, c1, m1, c2, m2))
        except Exception: continue   # a tune music21 cannot read
    print(f'{len(tt)} tunes; {len(pairs)} pairs of same-titled tunes in two collections; {len(same)} of them the same tune')
    for t, c1, m1, c2, m2 in same: print(f'  {t:28s} {c1:12s} {m1:5s} {c2:12s} {m2:5s} {"same" if m1 == m2 else ""}')
    eq = np.array([m1 == m2 for _, _, m1, _, m2 in same])
    du = np.array([m1 in DUPLE and m2 in DUPLE for _, _, m1, _, m2 in same])
    eqd = np.array([m1 == m2 or {m1, m2} <= DUPLE for _, _, m1, _, m2 in same])
    print(f'same time signature: {eq.sum()}/{len(eq)} ({eq.mean():.0%}); with 2/4, 4/4 and 2/2 taken as one: {eqd.sum()}/{len(eq)} ({eqd.mean():.0%})')
    print(f'duple tunes (both in 2/4, 4/4 or 2/2): the same time signature {eq[du].sum()}/{du.sum()} ({eq[du].mean():.0%})')

if __name__ == '__main__': main()

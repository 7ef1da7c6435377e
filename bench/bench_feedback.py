"""Reference-based feedback on performances with injected errors (pianoscore.perform.degrade).

For corpus excerpts degraded at several skill levels, compare `pianoscore.feedback.feedback` with the degradation log:
- F1 of detected wrong+missed reference notes against the injected wrong and missed notes (and how many got the right kind);
- recall of injected timing errors over 150 ms (a note flagged early/late in the right direction); a note's injected
  error is its onset jitter plus its offset inside a rolled chord (tempo drift and pauses are not note errors);
- the fraction of correctly played notes (right pitch, |injected error| < 100 ms) falsely flagged (wrong, missed, early or late);
- dynamics: recall of velocity errors over 25 flagged too loud/soft, and false flags among notes within 10;
- extra notes: F1; in audio mode also the transcriber's own onset precision/recall/F1 against the performed notes; hesitations over 400 ms: recall (a pause detected within 150 ms; pauses are flagged from 300 ms);
- 'timing error': the median over notes judged ok of |measured onset error - injected error| (ms), how well the
  expected time of a note is found (a diagnostic, no target).
A note's injected error is measured against degrade's own group time, which the player's neighbouring notes only
show through their jitter too: at skill 0 (jitter sd 70 ms, a pause every ten groups or so) the expected time of a
note can be found to about +-30 ms (median), so a timing error just over 150 ms is flagged only about 2 times in 3
with the default 125 ms tolerance. These definitions are those of the first version of this bench, unchanged.
With --shift-rate R, a share R of the correctly played notes is also moved by +-150..300 ms (isolated timing errors of
a player who is otherwise fine; degrade's own timing errors over 150 ms are only the tails of its jitter at low skill).
Modes: 'midi' (the degraded MIDI itself) and 'audio' (the degraded MIDI rendered by FluidSynth, FluidR3 GM, acoustic
grand, a dry room, then transcribed by pianoscore's spectral transcriber unless --transcriber says otherwise).

Usage: OMP_NUM_THREADS=1 python bench/bench_feedback.py [--mode midi|audio|both] [--pieces 6] [--seconds 30]
                                                       [--skills 0.2 0.5 0.8] [--seeds 2] [--room dry]
"""
import argparse, time, sys, warnings
import numpy as np

def score_truth(log, ref):
    "Errors by kind, and each score note's injected onset deviation (ms): its jitter plus its place in a rolled chord."
    from pianoscore.perform import _groups
    g, _ = _groups(ref)
    kinds, dev = {}, {}
    for e in log['errors']:
        kinds.setdefault(e['kind'], []).append(e)
        if e['kind'] == 'timing': dev[e['index']] = dev.get(e['index'], 0.) + e['amount']
    for e in kinds.get('chord_spread', []):
        idx = np.flatnonzero(g == g[e['index']]); order = idx[np.argsort([ref[i].pitch for i in idx])]
        if ref[order[0]].pitch != e['pitch']: order = order[::-1]
        for i, off in zip(order, np.linspace(0, e['amount'], len(idx))): dev[int(i)] = dev.get(int(i), 0.) + off
    return kinds, dev

def shift_notes(pm, log, rate, seed):
    "Move a share `rate` of the correctly played notes by +-150..300 ms, logged as timing errors."
    rng = np.random.default_rng(1000 + seed)
    bad = {e['index'] for e in log['errors'] if e['kind'] in ('wrong', 'missed')}
    notes = pm.instruments[0].notes
    order = sorted(range(len(notes)), key=lambda k: (round(notes[k].start, 4), notes[k].pitch))   # perf_index -> list index
    for i, j in enumerate(log['score_to_perf']):
        if j < 0 or i in bad or rng.random() >= rate: continue
        d = rng.uniform(0.15, 0.3) * rng.choice([-1, 1]); n = notes[order[j]]
        d = max(d, -n.start); n.start += d; n.end += d
        log['errors'].append(dict(kind='timing', index=i, time=n.start, pitch=n.pitch, amount=d * 1000, perf_index=j))

def evaluate(fb, log, ref):
    n_ref = len(ref)
    kinds, jit = score_truth(log, ref)
    wm_true = {e['index'] for e in kinds.get('wrong', []) + kinds.get('missed', [])}
    rows = [r for r in fb.notes if r['status'] != 'extra']
    wm_det = {r['ref_index'] for r in rows if r['status'] in ('wrong', 'missed')}
    kind_of = {e['index']: e['kind'] for e in kinds.get('wrong', []) + kinds.get('missed', [])}
    typed = sum(1 for r in rows if r['ref_index'] in kind_of and r['status'] == kind_of[r['ref_index']])
    big = {i: a for i, a in jit.items() if abs(a) > 150 and i not in wm_true}
    by_ref = {r['ref_index']: r for r in rows}
    t_hit = sum(1 for i, a in big.items() if by_ref[i]['timing'] == ('late' if a > 0 else 'early'))
    correct = [i for i in range(n_ref) if i not in wm_true and abs(jit.get(i, 0)) < 100]
    false = sum(1 for i in correct if by_ref[i]['status'] in ('wrong', 'missed') or by_ref[i]['timing'])
    false_t = sum(1 for i in correct if by_ref[i]['timing'])
    terr = [abs(r['timing_ms'] - jit.get(r['ref_index'], 0.)) for r in rows if r['status'] == 'ok' and r['timing_ms'] is not None]
    ex_true = {e['perf_index'] for e in kinds.get('extra', [])}
    ex_det = {r['perf_index'] for r in fb.notes if r['status'] == 'extra'}
    hes = [e for e in kinds.get('hesitation', []) if e['amount'] > 400]
    h_hit = sum(1 for e in hes if any(abs(p['perf_time'] - e['time']) < 0.15 for p in fb.pauses))
    dyn = {e['index']: e['amount'] for e in kinds.get('dynamics', [])}
    ok_rows = [by_ref[i] for i in range(n_ref) if i not in wm_true and by_ref[i]['status'] == 'ok']
    d_big = [r for r in ok_rows if abs(dyn.get(r['ref_index'], 0)) > 25]
    d_hit = sum(1 for r in d_big if r['dynamics'] == ('loud' if dyn[r['ref_index']] > 0 else 'soft'))
    d_small = [r for r in ok_rows if abs(dyn.get(r['ref_index'], 0)) < 10]
    d_false = sum(1 for r in d_small if r['dynamics'])
    return dict(d_n=len(d_big), d_hit=d_hit, d_sn=len(d_small), d_false=d_false, wm_tp=len(wm_true & wm_det), wm_fp=len(wm_det - wm_true), wm_fn=len(wm_true - wm_det), typed=typed,
                t_n=len(big), t_hit=t_hit, c_n=len(correct), c_false=false, c_false_t=false_t,
                ex_tp=len(ex_true & ex_det), ex_fp=len(ex_det - ex_true), ex_fn=len(ex_true - ex_det),
                h_n=len(hes), h_hit=h_hit, pauses=len(fb.pauses), terr=terr)

def report(name, acc, secs, n):
    f1 = 2 * acc['wm_tp'] / max(1, 2 * acc['wm_tp'] + acc['wm_fp'] + acc['wm_fn'])
    p = acc['wm_tp'] / max(1, acc['wm_tp'] + acc['wm_fp']); r = acc['wm_tp'] / max(1, acc['wm_tp'] + acc['wm_fn'])
    exf1 = 2 * acc['ex_tp'] / max(1, 2 * acc['ex_tp'] + acc['ex_fp'] + acc['ex_fn'])
    print(f"{name:>26}: wrong+missed F1 {f1:.3f} (P {p:.3f} R {r:.3f}, n={acc['wm_tp'] + acc['wm_fn']}, right kind {acc['typed'] / max(1, acc['wm_tp']):.2f}) | "
          f"timing>150ms recall {acc['t_hit'] / max(1, acc['t_n']):.3f} (n={acc['t_n']}) | "
          f"false flags {acc['c_false'] / max(1, acc['c_n']):.3f} (timing only {acc['c_false_t'] / max(1, acc['c_n']):.3f}, n={acc['c_n']}) | "
          f"timing error {np.median(acc['terr']) if acc['terr'] else float('nan'):.0f} ms | "
          f"extra F1 {exf1:.3f} (n={acc['ex_tp'] + acc['ex_fn']}) | "
          f"dynamics: recall {acc['d_hit'] / max(1, acc['d_n']):.2f} of |dv|>25 (n={acc['d_n']}), false {acc['d_false'] / max(1, acc['d_sn']):.3f} of |dv|<10 | pauses>400ms recall {acc['h_hit'] / max(1, acc['h_n']):.2f} (n={acc['h_n']}) | "
          f"{secs / max(1, n):.1f} s/performance", flush=True)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', default='both', choices=['midi', 'audio', 'both'])
    ap.add_argument('--pieces', type=int, default=6)
    ap.add_argument('--seconds', type=float, default=30.)
    ap.add_argument('--skills', type=float, nargs='+', default=[0.2, 0.5, 0.8])
    ap.add_argument('--seeds', type=int, default=2)
    ap.add_argument('--room', default='dry')
    ap.add_argument('--soundfont', default='fluidr3')
    ap.add_argument('--transcriber', default='spectral')
    ap.add_argument('--shift-rate', type=float, default=0.0)
    a = ap.parse_args()
    from pianoscore.perform import PIANO_PIECES, score_notes, degrade, render_performance
    from pianoscore.feedback import feedback, AudioTranscription, transcribe_audio
    from pianoscore.core import note_metrics, midi_notes
    modes = ['midi', 'audio'] if a.mode == 'both' else [a.mode]
    for mode in modes:
        total, t0, n, tr_scores = {}, time.time(), 0, {}
        per_skill = {s: {} for s in a.skills}
        for piece in PIANO_PIECES[:a.pieces]:
            ref = score_notes(piece, seconds=a.seconds, lead=0.5)
            for skill in a.skills:
                for seed in range(a.seeds):
                    pm, log = degrade(ref, skill, seed=seed)
                    if a.shift_rate > 0: shift_notes(pm, log, a.shift_rate, seed)
                    if mode == 'midi': perf = pm
                    else:
                        y, _ = render_performance(pm, sr=22050, seed=seed, soundfont=a.soundfont, program=0, room=a.room)
                        perf = transcribe_audio(y, 22050, transcriber=a.transcriber)
                        m = note_metrics(midi_notes(pm), perf.notes)
                        for k in ('onset_precision', 'onset_recall', 'onset_f1'): tr_scores.setdefault(k, []).append(m[k])
                    with warnings.catch_warnings():
                        warnings.simplefilter('ignore')
                        fb = feedback(ref, perf)
                    res = evaluate(fb, log, ref); n += 1
                    for d in (total, per_skill[skill]):
                        for k, v in res.items(): d[k] = d.get(k, type(v)()) + v
        print(f"== mode {mode}: {a.pieces} pieces x {a.seconds:.0f} s, skills {a.skills}, {a.seeds} seeds, shift rate {a.shift_rate}"
              + (f", FluidSynth {a.soundfont} program 0 room {a.room}, transcriber {a.transcriber}" if mode == 'audio' else ''))
        for s in a.skills: report(f"skill {s}", per_skill[s], time.time() - t0, n)
        report("all", total, time.time() - t0, n)
        if tr_scores: print("transcriber alone vs the performed notes (mir_eval onsets, 50 ms): " +
                            ", ".join(f"{k} {np.mean(v):.3f}" for k, v in tr_scores.items()), flush=True)

if __name__ == '__main__': main()

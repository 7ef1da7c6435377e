import numpy as np, torch, pytest
from pathlib import Path
from pianoscore.video2roll import (KeyNet, Video2RollNet, Roll2Midi, synth_strips, predict_strips, predict_roll, strips_to_audeo,
                                   load_model, save_model, WEIGHTS, STRIP_H, STRIP_W)
from pianoscore.train import synth_clip, WindowSampler, keynet_loss, fit, load_checkpoint
from pianoscore.core import frame_metrics, note_metrics

torch.set_num_threads(1)

def test_shapes():
    s = synth_strips(np.zeros((12, 88), bool))
    with torch.no_grad():
        assert KeyNet()(torch.from_numpy(s)[None]).shape == (1, 12, 88, 2)
        assert Video2RollNet().eval()(strips_to_audeo(s, [5])).shape == (1, 88)
        assert Roll2Midi()(torch.rand(1, 12, 88, 2)).shape == (1, 12, 88, 2)
    assert predict_strips(KeyNet(), s, chunk=5).shape == (12, 88, 2)

def test_keynet_small():
    n = sum(p.numel() for p in KeyNet().parameters())
    assert n * 4 < 2e6

def test_training_reduces_loss():
    torch.manual_seed(0)
    tr = [synth_clip(150, seed=s) for s in range(2)]
    sm = WindowSampler(tr, T=24); rng = np.random.default_rng(0)
    x, y, o = sm.batch(rng, 4)
    m = KeyNet(); opt = torch.optim.Adam(m.parameters(), 3e-3)
    m.eval()
    with torch.no_grad(): l0 = keynet_loss(m, x, y, o).item()
    m.train()
    for _ in range(15):
        loss = keynet_loss(m, *sm.batch(rng, 4)); opt.zero_grad(); loss.backward(); opt.step()
    m.eval()
    with torch.no_grad(): l1 = keynet_loss(m, x, y, o).item()
    assert l1 < 0.7 * l0, (l0, l1)

def test_resume_and_bad_checkpoints(tmp_path):
    tr, va = [synth_clip(120, seed=1)], [synth_clip(120, seed=2)]
    kw = dict(epochs=2, steps=2, batch=2, window=20, progress=False)
    a = fit('keynet', tr, va, out=tmp_path / 'a', **kw)
    fit('keynet', tr, va, out=tmp_path / 'b', until=1, **kw)
    b = fit('keynet', tr, va, out=tmp_path / 'b', resume=True, **kw)
    for k, v in a['model'].state_dict().items(): assert torch.equal(v, b['model'].state_dict()[k]), k
    with pytest.raises(ValueError, match="for model 'keynet'"): fit('video2roll', tr, va, out=tmp_path / 'a', resume=True, **kw)
    (tmp_path / 'a' / 'last.pt').write_bytes(b'broken')
    with pytest.raises(ValueError, match='corrupt'): fit('keynet', tr, va, out=tmp_path / 'a', resume=True, **kw)
    with pytest.raises(ValueError, match='keynet model'): load_model(tmp_path / 'b' / 'best.pt', kind='roll2midi')

def test_cli_errors(cli, tmp_path):
    r = cli('train-video2roll', tmp_path / 'nothing', check=False)
    assert r.returncode != 0 and 'make-dataset' in (r.stderr + r.stdout)

@pytest.mark.skipif(not (WEIGHTS / 'keynet.pt').exists(), reason='no shipped weights yet')
def test_shipped_weights_predict_rendered_clip(tmp_path, monkeypatch):
    import socket
    monkeypatch.setattr(socket, 'socket', lambda *a, **k: (_ for _ in ()).throw(OSError('network used')))
    m = load_model('default')
    assert 0 < m.meta['decision_threshold'] < 1
    assert (WEIGHTS / 'keynet.pt').stat().st_size < 2e6
    pytest.importorskip('pianoscore.render'); kbm = pytest.importorskip('pianoscore.keyboard')
    if not hasattr(kbm, 'rectify'): pytest.skip('keyboard.rectify missing')
    import pretty_midi
    from pianoscore.render import render_video
    pm = pretty_midi.PrettyMIDI(); ins = pretty_midi.Instrument(0)
    for i, p in enumerate([60, 64, 67, 72, 48, 55, 62, 65]):
        ins.notes.append(pretty_midi.Note(80, p, 0.3 + 0.35 * i, 0.3 + 0.35 * i + 0.3))
    pm.instruments.append(ins)
    info = render_video(pm, tmp_path / 'c.mp4', seed=5, audio=False, progress=False)
    t = np.load(tmp_path / 'c.npz')
    kb = kbm.Keyboard(t['corners'], int(t['lo']), int(t['hi']), frame_size=tuple(info['size']))
    r = predict_roll(tmp_path / 'c.mp4', kb, m, progress=False)
    assert frame_metrics(t['roll'], r)['f1'] > 0.85
    est = {n.pitch for n in r.to_notes()}
    assert {60, 64, 67, 72} <= est

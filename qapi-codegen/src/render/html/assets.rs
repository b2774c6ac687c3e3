//! The style sheet and the search script inlined into every page.

/// The style sheet: a sidebar on wide screens, a menu on narrow ones,
/// light and dark colours.
pub const CSS: &str = r#"
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;--link:#0969da;
--cmd:#1a7f37;--evt:#8250df;--struct:#0969da;--union:#bc4c00;--enum:#9a6700;--alt:#cf222e;
--note:#ddf4ff;--caution:#fff8c5;--req:#0550ae;--rep:#116329;--side:280px}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
--soft:#161b22;--link:#4493f8;--note:#0c2d4a;--caution:#3b2e00;--req:#79c0ff;--rep:#7ee787}}
*{box-sizing:border-box}
html{scroll-padding-top:4rem}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em}
code{background:var(--soft);border-radius:4px;padding:.1em .3em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;overflow-x:auto;line-height:1.45}
pre code{background:none;padding:0;font-size:inherit}
.top{position:sticky;top:0;z-index:10;display:flex;align-items:center;gap:.75rem;padding:.5rem 1rem;
background:var(--bg);border-bottom:1px solid var(--line)}
.brand{font-weight:600;color:var(--fg);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#menu{display:none;font-size:1.3rem;background:none;border:1px solid var(--line);border-radius:6px;color:var(--fg);padding:.1rem .5rem;cursor:pointer}
.search{position:relative;margin-left:auto;flex:0 1 22rem;min-width:8rem}
#q{width:100%;padding:.4rem .7rem;font-size:1rem;border:1px solid var(--line);border-radius:6px;background:var(--soft);color:var(--fg)}
#results{position:absolute;right:0;left:0;top:2.5rem;margin:0;padding:.25rem 0;list-style:none;max-height:70vh;overflow-y:auto;
background:var(--bg);border:1px solid var(--line);border-radius:6px;box-shadow:0 8px 24px rgba(0,0,0,.15)}
#results li a{display:flex;gap:.5rem;align-items:center;padding:.3rem .7rem;color:var(--fg)}
#results li a:hover,#results li.active a{background:var(--soft);text-decoration:none}
#results .none{padding:.3rem .7rem;color:var(--muted)}
.layout{display:flex;align-items:flex-start}
#sidebar{position:sticky;top:3.2rem;width:var(--side);flex:none;height:calc(100vh - 3.2rem);overflow-y:auto;
padding:1rem .75rem 2rem 1rem;border-right:1px solid var(--line);font-size:.9rem}
#sidebar ul{list-style:none;margin:0 0 1rem;padding:0}
#sidebar li a{display:block;padding:.12rem .4rem;border-radius:4px;color:var(--fg);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#sidebar li a:hover{background:var(--soft);text-decoration:none}
#sidebar a.current{background:var(--soft);font-weight:600}
.nav-title{margin:.5rem 0 .3rem;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.toc-heading{margin:.6rem 0 .2rem;font-weight:600;color:var(--muted)}
.dot{display:inline-block;width:.55rem;height:.55rem;border-radius:50%;margin-right:.45rem;vertical-align:.05em}
main{flex:1;min-width:0;max-width:58rem;padding:1rem 2rem 4rem}
h1{font-size:2rem;margin:.5rem 0 1rem}
h2{font-size:1.5rem;margin:2rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h4{font-size:.95rem;margin:1.2rem 0 .4rem}
.entry{border:1px solid var(--line);border-radius:8px;padding:.25rem 1.25rem 1rem;margin:1.5rem 0}
.entry:target{box-shadow:0 0 0 3px var(--link)}
.entry-head{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;font-size:1.25rem;margin:.75rem 0 .5rem}
.entry-head .name{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;color:var(--fg);word-break:break-all}
.since{margin-left:auto;font-size:.8rem;font-weight:400;color:var(--muted)}
.badge{font-size:.7rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#fff;border-radius:4px;padding:.15rem .45rem}
.badge.small{font-size:.6rem;padding:.05rem .35rem}
.k-command{background:var(--cmd)}.k-event{background:var(--evt)}.k-struct{background:var(--struct)}
.k-union{background:var(--union)}.k-enum{background:var(--enum)}.k-alternate{background:var(--alt)}
.flag{font-size:.72rem;font-weight:600;border:1px solid var(--muted);color:var(--muted);border-radius:10px;padding:0 .5rem;font-family:system-ui,sans-serif}
.flag.f-deprecated{border-color:#cf222e;color:#cf222e}.flag.f-unstable{border-color:#bc4c00;color:#bc4c00}
.cond{display:inline-block;margin:.2rem 0 .4rem;font-size:.85rem;background:var(--soft);border-left:3px solid var(--muted);padding:.1rem .6rem}
dl.members{margin:0}
dl.members dt{margin-top:.6rem;font-size:.95rem}
dl.members dd{margin:.15rem 0 .5rem 1.5rem}
dl.members dd p{margin:.2rem 0}
code.member{font-weight:600}
.opt{font-size:.75rem;color:var(--muted);font-style:italic}
.mcond{font-size:.75rem;color:var(--muted)}
.undoc{color:var(--muted);font-style:italic}
.traits{color:var(--muted);font-size:.9rem}
.admonition{border-left:4px solid var(--link);background:var(--note);border-radius:4px;padding:.1rem 1rem;margin:1rem 0}
.admonition.caution,.admonition.warning,.admonition.danger,.admonition.attention{border-color:#bf8700;background:var(--caution)}
.admonition-title{font-weight:700;margin:.5rem 0 .25rem}
figure.example{margin:1rem 0}
figure.example figcaption{font-weight:600;font-size:.9rem;margin-bottom:.3rem}
pre.qmp .req{color:var(--req);font-weight:700}pre.qmp .rep{color:var(--rep);font-weight:700}
blockquote{margin:.5rem 0 .5rem 1rem;padding-left:1rem;border-left:3px solid var(--line)}
.table{overflow-x:auto}table{border-collapse:collapse;margin:.75rem 0}
th,td{border:1px solid var(--line);padding:.3rem .7rem;text-align:left}th{background:var(--soft)}
caption{font-weight:600;text-align:left;padding-bottom:.3rem}
.jump a{margin-right:1rem}
.index-list{columns:16rem;padding-left:1.2rem}
.index-list li{break-inside:avoid}
@media (max-width:900px){
#menu{display:block}
#sidebar{position:fixed;z-index:9;left:0;top:3.2rem;background:var(--bg);transform:translateX(-105%);transition:transform .2s;box-shadow:4px 0 16px rgba(0,0,0,.15)}
body.nav-open #sidebar{transform:none}
main{padding:.75rem 1rem 3rem}
.entry{padding:.25rem .8rem .8rem}
h1{font-size:1.6rem}
.brand{max-width:40vw}
}
"#;

/// Search as you type over `SEARCH_INDEX`, and the narrow-screen menu.
pub const JS: &str = r#"
(function () {
  var q = document.getElementById('q');
  var list = document.getElementById('results');
  var active = -1;
  function score(name, term) {
    var n = name.toLowerCase();
    if (n === term) return 0;
    if (n.indexOf(term) === 0) return 1;
    var i = n.indexOf(term);
    if (i < 0) return -1;
    return /[-_]/.test(n.charAt(i - 1)) ? 2 : 3;
  }
  function show() {
    var term = q.value.trim().toLowerCase();
    list.innerHTML = '';
    active = -1;
    if (!term) { list.hidden = true; return; }
    var hits = [];
    for (var i = 0; i < SEARCH_INDEX.length; i++) {
      var s = score(SEARCH_INDEX[i][0], term);
      if (s >= 0) hits.push([s, i]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    hits.slice(0, 40).forEach(function (h) {
      var e = SEARCH_INDEX[h[1]];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = e[2];
      var badge = document.createElement('span');
      badge.className = 'badge small k-' + e[1];
      badge.textContent = e[1];
      var code = document.createElement('code');
      code.textContent = e[0];
      a.appendChild(badge);
      a.appendChild(code);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No match';
      list.appendChild(none);
    }
    list.hidden = false;
  }
  function move(d) {
    var items = list.querySelectorAll('li a');
    if (!items.length) return;
    if (active >= 0) items[active].parentNode.className = '';
    active = (active + d + items.length) % items.length;
    items[active].parentNode.className = 'active';
    items[active].scrollIntoView({block: 'nearest'});
  }
  q.addEventListener('input', show);
  q.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown') { move(1); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp') { move(-1); ev.preventDefault(); }
    else if (ev.key === 'Escape') { q.value = ''; show(); }
    else if (ev.key === 'Enter') {
      var items = list.querySelectorAll('li a');
      var pick = items[active >= 0 ? active : 0];
      if (pick) { window.location.href = pick.href; list.hidden = true; }
    }
  });
  list.addEventListener('click', function () { list.hidden = true; });
  document.addEventListener('click', function (ev) {
    if (!ev.target.closest('.search')) list.hidden = true;
  });
  var menu = document.getElementById('menu');
  menu.addEventListener('click', function () {
    var open = document.body.classList.toggle('nav-open');
    menu.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
  document.getElementById('sidebar').addEventListener('click', function (ev) {
    if (ev.target.closest('a')) document.body.classList.remove('nav-open');
  });
})();
"#;

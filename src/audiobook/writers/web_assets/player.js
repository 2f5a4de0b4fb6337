/* Read-along player for an audiobook's whole-book MP3 (written by audiobook's web writer).
 * Plain script, no dependencies, no network: works from file:// and any static host.
 * The timing data is the JSON in #book-data: times in milliseconds in the book MP3. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("book-data").textContent);
  var S = data.sentences;
  var C = data.chapters;
  var audio = document.getElementById("audio");
  var $ = function (id) { return document.getElementById(id); };
  var els = S.map(function (s) { return $(s.id); });
  var indexOf = {};
  S.forEach(function (s, i) { indexOf[s.id] = i; });
  var clips = S.map(function (s) { return s.clip / 1000; });

  var STEP_S = 10; // back / forward
  var RESTART_S = 2; // "previous" restarts the current sentence or chapter past this
  var EPS_S = 0.002; // a seek lands on a float near the ms it was asked for
  var RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3];
  var STORE = "audiobook:" + data.slug;
  var reducedMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;

  var current = -1; // index of the highlighted sentence
  var stopAt = null; // "pause after each sentence": where to stop, in seconds
  var notesAllowed = false; // the reader chose to play a note: do not skip it
  var frame = 0;
  var lastSave = 0;

  var settings = { rate: 1, skipNotes: false, pauseEach: false, follow: true };
  var saved = load();
  if (saved && saved.settings) {
    Object.keys(settings).forEach(function (k) {
      if (typeof saved.settings[k] === typeof settings[k]) settings[k] = saved.settings[k];
    });
  }
  if (RATES.indexOf(settings.rate) < 0) settings.rate = 1;

  // ---- storage: one key per book; absent or refused storage is not an error
  function load() {
    try {
      var raw = window.localStorage && localStorage.getItem(STORE);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }
  function save() {
    try {
      var position = audio.ended ? 0 : audio.currentTime;
      localStorage.setItem(STORE, JSON.stringify({ position: position, settings: settings }));
    } catch (e) { /* private mode, quota, file:// in some browsers */ }
    lastSave = Date.now();
  }

  // ---- where we are
  function isNote(i) { return S[i].kind === "note" || S[i].kind === "notes-heading"; }
  function indexAt(t) { // last sentence whose clip starts at or before t (seconds)
    var lo = 0, hi = clips.length - 1, x = t + EPS_S;
    if (hi < 0 || x < clips[0]) return 0;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (clips[mid] <= x) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function chapterOf(i) { return S[i].chapter; }
  function clock(seconds) {
    var t = Math.max(0, Math.round(seconds)), h = Math.floor(t / 3600);
    var m = Math.floor((t % 3600) / 60), s = t % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }
  function spokenClock(seconds) {
    var t = Math.max(0, Math.round(seconds)), m = Math.floor(t / 60), s = t % 60;
    return (m ? m + " min " : "") + s + " s";
  }
  function rateText(r) { return String(r).replace(".", ",") + "×"; }

  // ---- the live region: spoken only after a jump the reader asked for
  var announceTimer = 0;
  function announce(text) {
    var region = $("announce");
    clearTimeout(announceTimer);
    region.textContent = "";
    announceTimer = setTimeout(function () { region.textContent = text; }, 60);
  }
  function sentenceNews(i) {
    var ch = C[chapterOf(i)], n = i - ch.first + 1;
    var total = (chapterOf(i) + 1 < C.length ? C[chapterOf(i) + 1].first : S.length) - ch.first;
    return "Chapitre " + (chapterOf(i) + 1) + ", phrase " + n + " sur " + total;
  }
  function chapterNews(c) {
    return "Chapitre " + (c + 1) + " sur " + C.length + " : " + C[c].title;
  }

  // ---- highlight
  // The text has one tab stop: the sentence being read (or the one the arrows moved to).
  // Only that one is a button ("play from here"); the others stay plain text, so a screen
  // reader reading the book does not say "button" after every sentence.
  function tabStop(el, on) {
    el.tabIndex = on ? 0 : -1;
    if (on) el.setAttribute("role", "button"); else el.removeAttribute("role");
  }
  function setCurrent(i, scroll) {
    if (i === current) return;
    var before = current;
    current = i;
    if (before >= 0) {
      els[before].classList.remove("current");
      els[before].removeAttribute("aria-current");
      if (document.activeElement !== els[before]) tabStop(els[before], false);
    }
    var el = els[i];
    el.classList.add("current");
    el.setAttribute("aria-current", "true");
    tabStop(el, true);
    if (!notesAllowed || !isNote(i)) notesAllowed = false;
    if (before < 0 || chapterOf(before) !== chapterOf(i)) showChapter(chapterOf(i));
    if (scroll !== false && settings.follow) keepInView(el);
    armStop();
  }
  function showChapter(c) {
    $("now").textContent = "Chapitre " + (c + 1) + " sur " + C.length + " : " + C[c].title;
    document.querySelectorAll(".toc a[data-chapter]").forEach(function (a) {
      if (Number(a.dataset.chapter) === c) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    if ("mediaSession" in navigator && window.MediaMetadata) {
      try {
        navigator.mediaSession.metadata = new MediaMetadata({
          title: C[c].title, artist: data.author, album: data.title
        });
      } catch (e) { /* not supported here */ }
    }
  }
  function keepInView(el) {
    var r = el.getBoundingClientRect();
    var top = 0;
    var player = $("player");
    if (getComputedStyle(player).position === "sticky") top = player.getBoundingClientRect().bottom;
    if (r.top < top || r.bottom > window.innerHeight) {
      el.scrollIntoView({ block: "center", behavior: reducedMotion ? "auto" : "smooth" });
    }
  }

  // ---- the clock: every frame while playing, and on every media event
  function tick() {
    var t = audio.currentTime;
    var i = indexAt(t);
    if (i !== current) {
      if (settings.skipNotes && isNote(i) && !notesAllowed && !audio.paused) {
        var j = i;
        while (j < S.length && isNote(j)) j++;
        if (j < S.length) { seek(S[j].clip / 1000); setCurrent(j); return; }
        audio.pause();
        seek(audio.duration || t);
        return;
      }
      setCurrent(i);
    }
    if (settings.pauseEach && stopAt !== null && !audio.paused && t >= stopAt - 0.01) {
      stopAt = null;
      audio.pause();
    }
    if (Date.now() - lastSave > 2000 && !audio.paused) save();
  }
  function loop() {
    tick();
    frame = audio.paused ? 0 : requestAnimationFrame(loop);
  }
  function armStop() {
    if (current < 0) return;
    var end = S[current].end / 1000;
    stopAt = audio.currentTime < end - 0.05 ? end : null;
  }

  // ---- moving
  function seek(seconds) {
    var d = audio.duration;
    var t = Math.max(0, isFinite(d) ? Math.min(seconds, d) : seconds);
    audio.currentTime = t;
    return t;
  }
  function jumpTo(i, play) { // to a sentence's speech, as the reader asked
    i = Math.max(0, Math.min(S.length - 1, i));
    notesAllowed = isNote(i);
    seek(S[i].start / 1000);
    setCurrent(i);
    armStop();
    if (play) playAudio();
    return i;
  }
  function step(direction) { // the next (or previous) sentence, past notes when skipped
    var i = current + direction;
    while (settings.skipNotes && i >= 0 && i < S.length && isNote(i)) i += direction;
    return i;
  }
  function prevSentence() {
    if (current < 0) return;
    var i = audio.currentTime - S[current].start / 1000 > RESTART_S ? current : step(-1);
    announce(sentenceNews(jumpTo(Math.max(0, i))));
  }
  function nextSentence() {
    var i = step(1);
    if (i >= S.length) { announce("Dernière phrase"); return; }
    announce(sentenceNews(jumpTo(i)));
  }
  function goChapter(c, play) {
    c = Math.max(0, Math.min(C.length - 1, c));
    notesAllowed = false;
    seek(C[c].start / 1000);
    setCurrent(C[c].first);
    armStop();
    if (play) playAudio();
    announce(chapterNews(c));
  }
  function prevChapter() {
    if (current < 0) return;
    var c = chapterOf(current);
    goChapter(audio.currentTime - C[c].start / 1000 > RESTART_S ? c : c - 1);
  }
  function nextChapter() {
    var c = current < 0 ? 0 : chapterOf(current) + 1;
    if (c >= C.length) { announce("Dernier chapitre"); return; }
    goChapter(c);
  }
  function skipBy(seconds) {
    var t = seek(audio.currentTime + seconds);
    tick();
    var d = isFinite(audio.duration) ? audio.duration : data.duration / 1000;
    announce(clock(t) + " sur " + clock(d));
  }
  function playAudio() {
    var p = audio.play();
    if (p && p.catch) p.catch(function (e) { if (e && e.name !== "AbortError") showError(e.message); });
  }
  function togglePlay() { if (audio.paused) playAudio(); else audio.pause(); }

  // ---- settings
  function setRate(r, say, quiet) {
    settings.rate = r;
    audio.defaultPlaybackRate = r;
    audio.playbackRate = r;
    audio.preservesPitch = true;
    audio.mozPreservesPitch = true;
    audio.webkitPreservesPitch = true;
    $("rate").value = String(r);
    if (!quiet) save();
    if (say) announce("Vitesse " + rateText(r));
  }
  function nudgeRate(direction) {
    var k = RATES.indexOf(settings.rate) + direction;
    setRate(RATES[Math.max(0, Math.min(RATES.length - 1, k))], true);
  }
  function setOption(name, on) {
    settings[name] = on;
    var box = { skipNotes: "skip-notes", pauseEach: "pause-each", follow: "follow" }[name];
    $(box).checked = on;
    if (name === "pauseEach") armStop();
    if (name === "follow" && on && current >= 0) keepInView(els[current]);
    save();
  }
  function toggleOption(name, label) {
    setOption(name, !settings[name]);
    announce(label + (settings[name] ? " : oui" : " : non"));
  }

  function showError(message) {
    var box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  // ---- wiring
  $("play").addEventListener("click", togglePlay);
  $("prev-sentence").addEventListener("click", prevSentence);
  $("next-sentence").addEventListener("click", nextSentence);
  $("prev-chapter").addEventListener("click", prevChapter);
  $("next-chapter").addEventListener("click", nextChapter);
  $("back").addEventListener("click", function () { skipBy(-STEP_S); });
  $("forward").addEventListener("click", function () { skipBy(STEP_S); });
  $("rate").addEventListener("change", function (e) { setRate(Number(e.target.value), false); });
  $("skip-notes").addEventListener("change", function (e) { setOption("skipNotes", e.target.checked); });
  $("pause-each").addEventListener("change", function (e) { setOption("pauseEach", e.target.checked); });
  $("follow").addEventListener("change", function (e) { setOption("follow", e.target.checked); });

  function showPlaying() {
    var playing = !audio.paused;
    $("play").querySelector(".label").textContent = playing ? "Pause" : "Lecture";
    $("play").querySelector("use").setAttribute("href", playing ? "#i-pause" : "#i-play");
  }
  audio.addEventListener("play", function () {
    showPlaying();
    armStop();
    if (!frame) frame = requestAnimationFrame(loop);
  });
  audio.addEventListener("pause", function () { showPlaying(); save(); });
  audio.addEventListener("ended", function () { showPlaying(); save(); });
  audio.addEventListener("timeupdate", tick);
  audio.addEventListener("seeked", function () { tick(); armStop(); save(); });
  audio.addEventListener("ratechange", function () {
    // the native controls may change it too
    if (audio.playbackRate !== settings.rate && RATES.indexOf(audio.playbackRate) >= 0) {
      settings.rate = audio.playbackRate;
      $("rate").value = String(settings.rate);
      save();
    }
  });
  audio.addEventListener("error", function () {
    showError("Le fichier audio « " + data.audio + " » ne peut pas être lu ici.");
  });
  window.addEventListener("pagehide", save);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });

  // Click or Enter on a sentence plays from it; arrows move between sentences.
  var transcript = $("transcript");
  transcript.addEventListener("click", function (e) {
    var el = e.target.closest(".s");
    if (!el) return;
    var sel = window.getSelection && window.getSelection();
    if (sel && !sel.isCollapsed && String(sel).length) return; // selecting text, not a click
    jumpTo(indexOf[el.id], true);
    announce(sentenceNews(current));
  });
  transcript.addEventListener("keydown", function (e) {
    var el = e.target.closest && e.target.closest(".s");
    if (!el || e.altKey || e.ctrlKey || e.metaKey) return;
    var i = indexOf[el.id], to = -1;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      jumpTo(i, true);
      announce(sentenceNews(current));
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowRight") to = i + 1;
    else if (e.key === "ArrowUp" || e.key === "ArrowLeft") to = i - 1;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = S.length - 1;
    else return;
    e.preventDefault();
    to = Math.max(0, Math.min(S.length - 1, to));
    tabStop(els[to], true);
    els[to].focus();
  });
  transcript.addEventListener("focusout", function (e) {
    var el = e.target;
    if (el.classList && el.classList.contains("s") && el !== els[current]) tabStop(el, false);
  });

  // The chapter list plays from the chapter's start.
  document.querySelectorAll(".toc a[data-chapter]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      goChapter(Number(a.dataset.chapter), true);
    });
  });

  // Shortcuts: Alt+Shift+key anywhere (never a lone letter: screen readers own those).
  function keyName(e) {
    if (/^Arrow/.test(e.key)) return e.key;
    if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
    if (/^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase(); // Option on a Mac
    return e.key;
  }
  var SHORTCUTS = {
    k: togglePlay,
    j: prevSentence,
    l: nextSentence,
    u: prevChapter,
    o: nextChapter,
    ArrowLeft: function () { skipBy(-STEP_S); },
    ArrowRight: function () { skipBy(STEP_S); },
    ArrowDown: function () { nudgeRate(-1); },
    ArrowUp: function () { nudgeRate(1); },
    n: function () { toggleOption("skipNotes", "Sauter les notes"); },
    p: function () { toggleOption("pauseEach", "Pause après chaque phrase"); },
    f: function () { toggleOption("follow", "Suivre la lecture"); }
  };
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
    var action = SHORTCUTS[keyName(e)];
    if (!action) return;
    e.preventDefault();
    action();
  });

  // The lock screen and headset buttons of a phone.
  if ("mediaSession" in navigator) {
    var handlers = {
      play: playAudio,
      pause: function () { audio.pause(); },
      seekbackward: function () { skipBy(-STEP_S); },
      seekforward: function () { skipBy(STEP_S); },
      previoustrack: prevChapter,
      nexttrack: nextChapter
    };
    Object.keys(handlers).forEach(function (name) {
      try { navigator.mediaSession.setActionHandler(name, handlers[name]); } catch (e) { /* */ }
    });
  }

  // ---- start: the settings and the place this book was left at
  setRate(settings.rate, false, true);
  $("skip-notes").checked = settings.skipNotes;
  $("pause-each").checked = settings.pauseEach;
  $("follow").checked = settings.follow;
  $("controls").hidden = false;
  var start = saved && typeof saved.position === "number" && saved.position > 0 ? saved.position : 0;
  if (start > 0) {
    var restore = function () { if (Math.abs(audio.currentTime - start) > 0.05) seek(start); };
    if (audio.readyState >= 1) restore(); else audio.addEventListener("loadedmetadata", restore, { once: true });
    audio.currentTime = start;
  }
  if (S.length) setCurrent(indexAt(start), start > 0);
  showPlaying();
})();

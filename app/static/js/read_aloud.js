/* Read aloud (issue 13). app.js loads this after the page, only on a page with parts marked
   data-read-aloud. Each part gets a "Read to me" button where this phone can say it: in its
   own voice for the part's language (speechSynthesis), else from our recordings (each line's
   data-audio, made by espeak-ng at build time: app/child/read_aloud.py). Without either, no
   button: nothing is shown that cannot work.

   A part's lines are its [data-line] elements, else its innermost headings, paragraphs,
   list items, labels and legends. One line is read at a time; it carries the class
   "reading" meanwhile, and the button says "Stop". */
(function () {
  "use strict";
  var words = document.querySelector("[data-read-aloud-words]");
  var parts = document.querySelectorAll("[data-read-aloud]");
  if (!words || !parts.length) return;
  var synth = window.speechSynthesis;
  var mp3 = !!window.Audio && new window.Audio().canPlayType("audio/mpeg") !== "";
  var LINES = "h1, h2, h3, p, li, legend, label, dt, dd";
  var current = null;

  function languageOf(element) {
    var holder = element.closest("[lang]");
    return (holder && holder.lang) || "en";
  }

  function primary(tag) { return tag.toLowerCase().replace("_", "-").split("-")[0]; }

  /* A voice of exactly the language, else one of its primary language (ar-SA for ar). */
  function voiceFor(lang) {
    var voices = synth ? synth.getVoices() : [], near = null;
    for (var i = 0; i < voices.length; i++) {
      var tag = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (tag === lang.toLowerCase()) return voices[i];
      if (!near && primary(tag) === primary(lang)) near = voices[i];
    }
    return near;
  }

  function linesOf(part) {
    var marked = part.querySelectorAll("[data-line]");
    if (marked.length) return Array.prototype.slice.call(marked);
    var found = [], all = part.querySelectorAll(LINES);
    for (var i = 0; i < all.length; i++) {
      var line = all[i];
      if (line.querySelector(LINES) || line.closest(".read-aloud") || !line.getClientRects().length) continue;
      if (line.innerText.trim()) found.push(line);
    }
    return found;
  }

  /* Recordings come from the network (the service worker keeps only this script): offline,
     only the phone's own voice can read. */
  function recorded(lines) {
    return mp3 && navigator.onLine !== false &&
      lines.every(function (line) { return line.hasAttribute("data-audio"); });
  }

  function say(button, reading) {
    button.lastChild.textContent = words.getAttribute(reading ? "data-stop" : "data-read");
    button.classList.toggle("stop", reading);
  }

  function still() {
    return document.documentElement.classList.contains("display-still") ||
      window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function finish() {
    var was = current;
    if (!was) return;
    current = null;
    if (was.audio) { was.audio.onended = was.audio.onerror = null; was.audio.pause(); }
    if (was.voice && synth) synth.cancel();
    if (was.line) was.line.classList.remove("reading");
    say(was.button, false);
  }

  function next(reading) {
    if (current !== reading) return;
    if (reading.line) reading.line.classList.remove("reading");
    reading.at += 1;
    if (reading.at >= reading.lines.length) { finish(); return; }
    var line = reading.line = reading.lines[reading.at];
    line.classList.add("reading");
    line.scrollIntoView({ block: "nearest", behavior: still() ? "auto" : "smooth" });
    var onward = function () { next(reading); };
    var stop = function () { if (current === reading) finish(); };
    if (reading.voice) {
      var utterance = new window.SpeechSynthesisUtterance(line.innerText.trim());
      utterance.lang = languageOf(line);
      utterance.voice = reading.voice;
      utterance.onend = onward;
      utterance.onerror = stop;
      reading.utterance = utterance; /* held: Chrome drops the events of one it has collected */
      synth.speak(utterance);
    } else {
      var audio = reading.audio = new window.Audio(line.getAttribute("data-audio"));
      audio.onended = onward;
      audio.onerror = stop;
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(stop);
    }
  }

  function toggle(part, button) {
    var again = current && current.button === button;
    finish();
    if (again) return;
    var lines = linesOf(part);
    var voice = lines.length ? voiceFor(languageOf(lines[0])) : null;
    if (!voice && !recorded(lines)) return;
    current = { button: button, lines: lines, at: -1, voice: voice };
    say(button, true);
    next(current);
  }

  function icon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M3 9h4l5-4v14l-5-4H3zM15 8.5a5 5 0 0 1 0 7M17.5 6a8.5 8.5 0 0 1 0 12");
    svg.appendChild(path);
    return svg;
  }

  function place() {
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (part.querySelector(".read-aloud")) continue;
      var lines = linesOf(part);
      if (!lines.length || (!voiceFor(languageOf(lines[0])) && !recorded(lines))) {
        part.classList.add("read-aloud-none");  /* gives back the place app.css kept for it */
        continue;
      }
      part.classList.remove("read-aloud-none");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "read-aloud";
      button.appendChild(icon());
      button.appendChild(document.createElement("span"));
      say(button, false);
      button.addEventListener("click", toggle.bind(null, part, button));
      if (part.getAttribute("data-read-aloud") === "end") part.appendChild(button);
      else part.insertBefore(button, part.firstChild);
    }
  }

  place();
  /* Voices often arrive after the page: a part only a voice can read gets its button then. */
  if (synth && synth.addEventListener) synth.addEventListener("voiceschanged", place);
  window.addEventListener("online", place);
  window.addEventListener("pagehide", finish);
})();

// Recordings: privacy facade for external players, seekable transcripts. Progressive
// enhancement only: without this file the facade is a plain link to the video's own page and
// every transcript line links to its moment on the recording page.
(function () {
  "use strict";

  function withStart(url, source, seconds) {
    if (!seconds) { return url; }
    var address = new URL(url);
    if (source === "youtube") { address.searchParams.set("start", seconds); }
    else if (source === "vimeo") { address.hash = "t=" + seconds + "s"; }
    else if (source === "ec") { address.searchParams.set("starttime", seconds); }
    return address.toString();
  }

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  function loadPlayer(player, seconds) {
    var frame = document.createElement("iframe");
    frame.src = withStart(player.dataset.embed, player.dataset.source, seconds);
    frame.title = player.dataset.frameTitle;
    frame.className = "player__frame";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    var facade = player.querySelector(".player__facade");
    player.replaceChild(frame, facade);
    player.dataset.loaded = "true";
    frame.focus();
  }

  function enableFacade(player) {
    var link = player.querySelector("a.player__facade");
    if (!link || !player.dataset.embed) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "player__facade";
    while (link.firstChild) { button.appendChild(link.firstChild); }
    var label = button.querySelector(".player__label");
    if (label) { label.textContent = player.dataset.playLabel; }
    button.addEventListener("click", function () {
      loadPlayer(player, parseInt(player.dataset.start || "0", 10));
    });
    link.parentNode.replaceChild(button, link);
  }

  // Go to a moment: seek a video, restart a loaded external player there, or get the facade
  // ready to start there (an external player is loaded only on the visitor's own click).
  function seek(player, seconds) {
    if (!player) { return false; }
    var video = player.querySelector("video");
    if (video) {
      var go = function () { video.currentTime = seconds; video.play().catch(function () {}); };
      if (video.readyState >= 1) { go(); } else { video.addEventListener("loadedmetadata", go, { once: true }); video.load(); }
      video.focus();
      return true;
    }
    if (!player.dataset.embed) { return false; }
    if (player.dataset.loaded) {
      player.querySelector("iframe").src = withStart(player.dataset.embed, player.dataset.source, seconds);
      return true;
    }
    player.dataset.start = String(seconds);
    var button = player.querySelector("button.player__facade");
    if (!button) { return false; }
    var label = button.querySelector(".player__label");
    if (label) { label.textContent = player.dataset.playFrom.replace("%s", clock(seconds)); }
    button.focus();
    return true;
  }

  function enableTranscript(list) {
    var player = document.getElementById(list.dataset.player);
    list.addEventListener("click", function (event) {
      var line = event.target.closest("li");
      if (!line || event.target.closest("a:not(.transcript__time)")) { return; }
      var link = line.querySelector("a.transcript__time");
      if (link && seek(player, parseInt(link.dataset.start, 10))) { event.preventDefault(); }
    });
    var search = list.parentNode.querySelector(".transcript__search");
    if (!search) { return; }
    search.hidden = false;
    var input = search.querySelector("input");
    var status = search.querySelector("[data-transcript-status]");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("li").forEach(function (line) {
        var match = !words || line.textContent.toLowerCase().indexOf(words) !== -1;
        line.hidden = !match;
        if (match) { shown += 1; }
      });
      var message = shown === 1 ? status.dataset.one : status.dataset.some.replace("%s", shown);
      status.textContent = !words ? "" : (shown ? message : status.dataset.none);
    });
  }

  function seekFromAddress() {
    var match = /^#t=(\d+)$/.exec(window.location.hash);
    var player = document.querySelector(".player");
    if (match && player) { seek(player, parseInt(match[1], 10)); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".player--facade").forEach(enableFacade);
    document.querySelectorAll(".transcript__lines").forEach(enableTranscript);
    seekFromAddress();
  });
})();

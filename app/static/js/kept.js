/* Messages kept on this phone to send later (DEC-1), shared by the pages (app.js) and the
   service worker (sw.js, for Background Sync). A message is kept only when the child chose
   "keep it"; it waits in IndexedDB with its submission key, so however often it is sent (two
   tabs, a lost answer, a sync and a page at once) the server makes one message of it, and it
   is deleted as soon as the server answers. The quick exit deletes the whole database. */
(function (scope) {
  "use strict";
  var NAME = "our-promise";
  var STORE = "kept";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(message) { return run("readwrite", function (store) { store.put(message); }); }
  function remove(key) { return run("readwrite", function (store) { store.delete(key); }); }

  /* A new message's key: 128 random bits, as the server's own keys. */
  function newKey() {
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* Send one kept message. Resolves with the server's answer ({reference} when it is kept there,
     {already} when it was sent before from elsewhere, {problem} when it can never be taken);
     rejects when the network is still down, and the message stays. */
  function sendOne(url, message) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(message)
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) throw new Error("try later");
      return response.json().then(function (answer) {
        answer.status = response.status;
        if (response.ok || response.status === 409) {
          return remove(message.key).then(function () { return answer; });
        }
        return answer;  /* refused: kept, so the child can read why and delete it */
      });
    });
  }

  var sending = null;
  /* Every kept message, one after another; one round at a time in this page or worker. */
  function sendAll(url) {
    if (sending) return sending;
    sending = all().then(function (messages) {
      var answers = [];
      return messages.reduce(function (previous, message) {
        return previous.then(function () {
          return sendOne(url, message).then(function (answer) { answers.push(answer); });
        });
      }, Promise.resolve()).then(function () { return answers; });
    });
    var done = function () { sending = null; };
    sending.then(done, done);
    return sending;
  }

  function forget() {
    return new Promise(function (resolve) {
      var request = scope.indexedDB.deleteDatabase(NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }


  /* The page's side (loaded by app.js when needed): "1 message waiting to send", the choice
     to keep a message that could not be sent, and what the server answered. Its words come
     from the server (/offline/words.json, kept by the service worker for offline use). */
  var ui = null;
  function page(status) {
    if (ui) return ui;
    var doc = scope.document;
    function make(tag, attributes, text) {
      var element = doc.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
      if (text) element.textContent = text;
      return element;
    }
    function button(text) { return make("button", { "class": "button", type: "button" }, text); }

    ui = fetch(status.getAttribute("data-words"), { credentials: "same-origin" }).then(function (response) {
      return response.json();
    }).then(function (words) {
      var text = status.appendChild(make("p", {}));
      var problem = status.appendChild(make("p", {}));
      var next = status.appendChild(make("a", { "class": "link-block", href: words.sent_page }, words.next));
      var actions = status.appendChild(make("div", { "class": "kept-actions" }));
      var sendNow = actions.appendChild(button(words.send_now));
      var deleteKept = actions.appendChild(button(words.delete_kept));
      next.hidden = actions.hidden = problem.hidden = true;
      var choice = make("div", { "class": "keep-choice", role: "alert" });
      choice.appendChild(make("p", {}, words.not_sent));
      choice.appendChild(make("p", {}, words.keep_why));
      var anonymous = choice.appendChild(make("p", {}, words.keep_anonymous));
      var choices = choice.appendChild(make("div", { "class": "kept-actions" }));
      var keep = choices.appendChild(button(words.keep));
      var discard = choices.appendChild(button(words.discard));
      var notSaved = make("p", { "class": "not-saved", role: "alert", tabindex: "-1" }, words.not_saved);

      function say(message) { status.hidden = false; text.textContent = message; }

      function showWaiting() {
        return all().then(function (messages) {
          actions.hidden = messages.length === 0;
          if (!messages.length) return forget();
          var n = messages.length;
          say(n === 1 ? words.one : words.many.replace("{n}", n));
          var refused = messages.filter(function (m) { return m.problem; })[0];
          problem.hidden = !refused;
          problem.textContent = refused ? refused.problem : "";
        });
      }

      function showAnswers(answers) {
        answers.forEach(function (answer) {
          if (answer.reference) {
            say(words.sent.replace("{reference}", answer.reference));
            next.hidden = false;
          } else if (answer.status === 409) {
            say(words.already);
          }
        });
        return showWaiting();
      }

      function send() {
        return sendAll(words.send).then(function (answers) {
          /* A refusal is kept with its reason, for the child to read and delete. */
          return Promise.all(answers.filter(function (a) { return a.problem && a.key && a.status !== 409; }).map(function (a) {
            return all().then(function (messages) {
              var m = messages.filter(function (x) { return x.key === a.key; })[0];
              if (m) { m.problem = a.problem; return put(m); }
            });
          })).then(function () { return showAnswers(answers); });
        }, showWaiting);
      }

      /* What the child wrote, as the send URL takes it (sending_later.py). */
      function messageFrom(form) {
        var stored = form.getAttribute("data-message");
        var answers = stored ? JSON.parse(stored) : {};
        var key = form.querySelector("[name=submission_key]");
        if (!stored) {
          var data = new FormData(form);
          ["kind", "words", "praise_name", "helper"].forEach(function (name) { answers[name] = data.get(name) || ""; });
          answers.promises = data.getAll("promises");
        }
        return { key: key ? key.value : newKey(), secret: newKey(), answers: answers };
      }

      function clear(form) {
        if (choice.parentNode) choice.parentNode.removeChild(choice);
        form.reset();
        var fields = form.querySelectorAll("textarea, input[type=text]");
        for (var i = 0; i < fields.length; i++) fields[i].value = "";
      }

      function unsent(form) {
        var sending = form.hasAttribute("data-message") || form.hasAttribute("data-offline-write");
        if (!sending) {
          form.parentNode.insertBefore(notSaved, form);
          notSaved.focus();
          return;
        }
        /* The page to write offline has no steps about reaching the child (check your answers has). */
        anonymous.hidden = !form.hasAttribute("data-offline-write");
        form.parentNode.insertBefore(choice, form.nextSibling);
        keep.onclick = function () {
          /* Ask the browser not to clear it to make room (Safari clears unused sites' storage). */
          if (scope.navigator.storage && scope.navigator.storage.persist) scope.navigator.storage.persist();
          put(messageFrom(form)).then(function () {
            clear(form);
            scope.navigator.serviceWorker.ready.then(function (registration) {
              if (registration.sync) return registration.sync.register("send-kept");
            }).catch(function () { /* no Background Sync: the page sends when online */ });
            return showWaiting();
          });
        };
        discard.onclick = function () { clear(form); };
        keep.focus();
      }

      sendNow.addEventListener("click", send);
      deleteKept.addEventListener("click", function () {
        all().then(function (messages) {
          return Promise.all(messages.map(function (m) { return remove(m.key); }));
        }).then(forget).then(function () {
          say(words.deleted);
          actions.hidden = problem.hidden = true;
        });
      });
      return {
        showAnswers: showAnswers,
        unsent: unsent,
        sendOrShow: function () { return scope.navigator.onLine ? send() : showWaiting(); }
      };
    });
    return ui;
  }

  scope.OurPromiseKept = { all: all, put: put, remove: remove, newKey: newKey, sendAll: sendAll, forget: forget, page: page };
})(self);

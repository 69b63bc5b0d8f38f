// The ID-card page: checks the reader bridge answers, opens its signing window with this login's
// challenge, and posts the Web eID token it sends back (docs/methods.md, "ID-card login").
"use strict";

(function () {
  const root = document.getElementById("card-login");
  const form = document.getElementById("card-form");
  if (!root || !form) {
    return;
  }
  const readerOrigin = root.dataset.readerOrigin;
  let popup = null;

  function show(state) {
    for (const element of root.querySelectorAll("[data-state]")) {
      element.hidden = element.dataset.state !== state;
    }
    const button = root.querySelector(`[data-state="${state}"] button`);
    if (button && document.activeElement && root.contains(document.activeElement)) {
      button.focus(); // keep keyboard focus inside the part that is now shown
    }
  }

  async function checkReader() {
    show("checking");
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), 4000);
    try {
      const response = await fetch(root.dataset.statusUrl, {
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
      });
      const status = await response.json();
      if (!response.ok || !status || status.app !== "silta-reader") {
        throw new Error("not the reader app");
      }
      show(Number(status.cards) > 0 ? "ready" : "no-card");
    } catch (error) {
      show("no-bridge");
    } finally {
      window.clearTimeout(timer);
    }
  }

  function openReader() {
    // Opened from a click, so that pop-up blockers allow it; the bridge needs window.opener.
    popup = window.open(root.dataset.signUrl, "silta-reader", "popup,width=560,height=760");
    show(popup ? "waiting" : "popup-blocked");
  }

  function submit(field, value) {
    form.elements.namedItem(field).value = value;
    show("sending");
    form.submit();
  }

  window.addEventListener("message", (event) => {
    // Only the configured bridge may answer, and only from the window this page opened.
    if (event.origin !== readerOrigin || (popup && event.source !== popup)) {
      return;
    }
    const data = event.data;
    if (!data || typeof data !== "object") {
      return;
    }
    if (data.type === "silta-reader:token" && data.token && typeof data.token === "object") {
      submit("token", JSON.stringify(data.token));
    } else if (data.type === "silta-reader:error") {
      submit("reader_error", String(data.code || "reader_error").slice(0, 40));
    } else if (data.type === "silta-reader:cancelled") {
      show("cancelled");
    }
  });

  root.addEventListener("click", (event) => {
    const action = event.target.closest("button");
    if (!action) {
      return;
    }
    if (action.id === "card-start" || action.dataset.action === "start") {
      openReader();
    } else if (action.dataset.action === "check") {
      checkReader();
    }
  });

  checkReader();
})();

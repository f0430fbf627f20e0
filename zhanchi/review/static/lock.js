/* zhanchi review: warn before the case lock lapses, and keep it on request.
   The server renews the lock on every page view, field save and recheck; this counts
   down from the last of those and shows the banner in the last minutes. */
(function () {
  "use strict";

  const box = document.getElementById("lock-warning");
  if (!box) return;
  const total = Number(box.dataset.lockSeconds) * 1000;
  const warn = Number(box.dataset.warnSeconds) * 1000;
  const message = box.querySelector("[data-lock-message]");
  const button = box.querySelector("[data-lock-keep]");
  const original = message.innerHTML;
  let deadline = Date.now() + total;
  let lost = false;

  function clock(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function renewed() {
    deadline = Date.now() + total;
    lost = false;
    message.innerHTML = original;
    box.classList.remove("expired");
    button.textContent = "继续处理（保持认领）";
    tick();
  }

  function tick() {
    if (lost) return;
    const left = deadline - Date.now();
    if (left > warn) { box.hidden = true; return; }
    box.hidden = false;
    if (left <= 0) {
      box.classList.add("expired");
      message.textContent = "您对此案件的认领已因空闲失效，其他人现在可以认领。";
      button.textContent = "重新认领";
      return;
    }
    const left_el = box.querySelector("[data-lock-left]");
    if (left_el) left_el.textContent = clock(left);
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch("/cases/" + box.dataset.case + "/claim", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRF-Token": button.dataset.csrf },
    }).then(function (r) {
      // 303 back to the case (opaque here) means the lock is ours again
      if (r.type === "opaqueredirect" || r.ok) { renewed(); return; }
      lost = true;
      box.classList.add("expired");
      message.textContent = r.status === 409 ? "此案件已被他人认领或已有决定，无法继续处理。"
        : "未能保持认领（登录可能已超时），请刷新页面。";
    }).catch(function () {
      message.textContent = "网络错误，未能保持认领，请刷新页面。";
    }).finally(function () { button.disabled = false; });
  });

  // a field saved or checks re-run through htmx renewed the lock on the server too
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail && e.detail.successful) renewed();
  });
  setInterval(tick, 1000);
  tick();
})();

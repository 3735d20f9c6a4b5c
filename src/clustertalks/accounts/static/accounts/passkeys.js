// After django-otp-webauthn registers a passkey, carry on: a form (make recovery codes) or a
// link (where the organiser was going) marked data-after-passkey; otherwise show the new list.
document.addEventListener("otp_webauthn.register_complete", function () {
  var next = document.querySelector("[data-after-passkey]");
  if (next && next.tagName === "FORM") {
    next.submit();
  } else if (next && next.href) {
    window.location.href = next.href;
  } else {
    window.location.reload();
  }
});

// Words of Account settings → Advanced → Audit streaming.
const SECRET_ONCE = "Copy the signing secret now: you won't be able to see it again.";

export const auditStreamText = {
  urlMissing: "Enter the address events are sent to.",
  urlTooLong: "That address is too long.",
  urlRefused:
    "Use an https:// address, or http:// only to this machine (127.0.0.1 or [::1]) for testing, without a user name or password.",
  notOn: "Turn audit streaming on first.",
  turnedOn: `Audit streaming is on. ${SECRET_ONCE}`,
  saved: "Saved. Events from now on go to this address.",
  rotated: `New signing secret: the next deliveries are signed with it. ${SECRET_ONCE}`,
  disabled: "Audit streaming is off. Nothing still queued will be sent.",
  testQueued: "Test event queued: it shows in the deliveries below within seconds (reload the page).",
};

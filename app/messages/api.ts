// The API's own sentences (app/api/v1/): what a client is told about the shape of its request.
export const apiText = {
  signInShape: 'Send JSON like {"email": "you@example.com", "password": "..."}.',
  verifyShape: 'Send JSON like {"challenge": "...", "code": "123456"}.',
  challengeExpired: "This sign-in has expired or was already completed. Sign in again.",
};

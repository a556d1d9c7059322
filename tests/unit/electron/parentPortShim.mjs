// Preloaded into the children the bundle harness forks for the fake
// utilityProcess: gives them the process.parentPort that Electron's utility
// processes have, carried over Node's IPC channel.
process.parentPort = {
  postMessage: (message) => {
    if (process.connected) process.send(message);
  },
  on: (event, listener) => {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
};

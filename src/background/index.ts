console.log("worker up")

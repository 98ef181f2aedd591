console.log("content up")

// The page that hands the answer to the partner (or ends a logout): its form goes at once. Without
// JavaScript its button does the same.
document.getElementById('autosubmit').submit();

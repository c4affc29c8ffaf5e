"""Opinion letters to the units (审阅意见书): Qt-free, above report/store/review, below commands and ui."""

#pragma once
// Matrix products for the dense layers: C = α·op(A)·op(B) + β·C on row-major matrices, through
// OpenBLAS when the build found it (its kernels are picked at run time for the CPU: AVX2,
// AVX-512), else Eigen (compiled for the build's baseline ISA, SSE2 on x86-64). OpenBLAS is
// kept to one thread: results then do not depend on the machine's core count, and the trainer
// parallelizes over models and data, not inside a product.
#include "augment/trainer/parameter.hpp"

namespace augment::trainer::detail {

enum class Op { none, transpose };

/// `c` must already have the product's shape.
template <class T>
void gemm(Op op_a, Op op_b, T alpha, const Matrix<T>& a, const Matrix<T>& b, T beta, Matrix<T>& c);

}  // namespace augment::trainer::detail

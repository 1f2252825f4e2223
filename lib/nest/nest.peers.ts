import { requirePeers } from '../core/peer-dependencies';

// Imported first by busline/nest: says what to install before anything loads NestJS.
requirePeers('busline/nest', ['@nestjs/common', '@nestjs/core', 'rxjs', 'class-validator']);
